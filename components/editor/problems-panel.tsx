'use client';

import type { Problem } from '@/lib/flow/problem';
import { useLint } from './editor-context';

/** Every error (red) and warning (amber); choosing one selects its step or connection and zooms to it. */
export function ProblemsPanel({ onReveal }: { onReveal: (p: Problem) => void }) {
  const lint = useLint();
  if (lint.problems.length === 0) {
    return (
      <section className="problems-panel" aria-label="Problems">
        <p className="all-clear">No problems: every path is compliant.</p>
      </section>
    );
  }
  return (
    <section className="problems-panel" aria-label="Problems">
      <p className="panel-hint">
        {lint.errors} error{lint.errors === 1 ? '' : 's'}, {lint.warnings} warning{lint.warnings === 1 ? '' : 's'}. Errors must be fixed
        before the flow can be published.
      </p>
      <ul className="problem-list">
        {lint.problems.map((p, i) => (
          <li key={i}>
            <button type="button" className={`problem-item ${p.severity}`} onClick={() => onReveal(p)} data-testid="problem">
              <span className="problem-severity">{p.severity === 'error' ? 'Error' : 'Warning'}</span>
              <span className="problem-message">{p.message}</span>
              <span className="problem-where">
                {p.rule}
                {p.edgeId ? ` · connection ${p.edgeId}` : p.nodeId ? ` · step ${p.nodeId}` : ''}
                {p.path ? ` · ${p.path}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
