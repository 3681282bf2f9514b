'use client';

import type { ProblemText } from '@/lib/flow/problem-text';

/** One problem in the inspector: the plain sentence, and the rule code, ids and path under "Details" for developers. */
export function ProblemLine({ text }: { text: Pick<ProblemText, 'sentence' | 'severity' | 'details'> }) {
  return (
    <li className={text.severity}>
      {text.sentence}
      <details className="problem-details">
        <summary>Details</summary>
        <code>{text.details}</code>
      </details>
    </li>
  );
}
