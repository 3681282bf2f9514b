/** The analyzer's verdict in a word: compliant, or how many errors and warnings. */
export function VerdictBadge({ errors, warnings }: { errors: number; warnings: number }) {
  if (errors > 0) {
    return (
      <span className="badge badge-error">
        {errors} error{errors === 1 ? '' : 's'}
      </span>
    );
  }
  const text = warnings > 0 ? `Compliant · ${warnings} warning${warnings === 1 ? '' : 's'}` : 'Compliant';
  return <span className={warnings > 0 ? 'badge badge-warn' : 'badge badge-ok'}>{text}</span>;
}
