'use client';

import { useMemo } from 'react';
import type { Problem } from '@/lib/flow/problem';
import { describeProblems } from '@/lib/flow/problem-text';
import { useEditor, useLint } from './editor-context';

/**
 * Every error (red) and warning (amber), as a marketer reads them: the step by
 * its label and a plain sentence (`describeProblems`, as the review page says
 * them); the rule code, ids and JSON path only under "Details". Choosing one
 * selects its step or connection and zooms to it.
 */
export function ProblemsPanel({ onReveal }: { onReveal: (p: Problem) => void }) {
  const lint = useLint();
  const doc = useEditor((s) => s.doc);
  const texts = useMemo(() => describeProblems(doc, lint.problems), [doc, lint.problems]);
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
        before the flow can be published. Choose one to show it on the canvas.
      </p>
      <ul className="problem-list">
        {lint.problems.map((p, i) => (
          <li key={i} className={`problem-entry ${p.severity}`} data-testid="problem">
            <button type="button" className={`problem-item ${p.severity}`} onClick={() => onReveal(p)}>
              <span className="problem-severity">{p.severity === 'error' ? 'Error' : 'Warning'}</span>
              <span className="problem-where">{texts[i]!.where}</span>
              <span className="problem-message">{texts[i]!.sentence}</span>
            </button>
            <details className="problem-details">
              <summary>Details</summary>
              <code>{texts[i]!.details}</code>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
