import type { ProblemText } from '@/lib/flow/problem-text';
import styles from './review.module.css';

/**
 * Compliance problems as a marketer reads them: the step (by its label) and a
 * plain sentence; the rule code, ids and paths only in a "Details" disclosure
 * for developers.
 */
export function ProblemSentences({ problems, label }: { problems: readonly ProblemText[]; label: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className={styles.problems} aria-label={label}>
      {problems.map((p, i) => (
        <li key={i} className={`${styles.problem} ${p.severity === 'error' ? styles.error : styles.warning}`}>
          <strong>{p.where}</strong>: {p.sentence}
          <details className={styles.problemDetails}>
            <summary>Details</summary>
            <code>{p.details}</code>
          </details>
        </li>
      ))}
    </ul>
  );
}
