/** A run's status as a badge, with why it stopped beneath when it did. */
export function RunStatus({ label, badge, stopReason }: { label: string; badge: string; stopReason: string | null | undefined }) {
  return (
    <>
      <span className={badge}>{label}</span>
      {stopReason && <div className="meta">{stopReason}</div>}
    </>
  );
}
