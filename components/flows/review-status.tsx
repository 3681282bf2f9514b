import Link from 'next/link';
import type { LatestVersion } from '@/lib/flows';

const SAYS: Record<LatestVersion['status'], string> = {
  draft: 'saved, not submitted',
  submitted: 'awaiting review',
  approved: 'approved, not live yet',
  rejected: 'rejected: see the reviewer’s comment',
  active: 'live',
  paused: 'paused',
};

/** A flow's newest version and where it stands in review, linking to that version's review page. */
export function ReviewStatus({ flowId, latest }: { flowId: string; latest: LatestVersion | undefined }) {
  if (!latest) return <span className="muted">Not submitted yet</span>;
  return (
    <Link
      href={`/flows/${encodeURIComponent(flowId)}/versions/${latest.versionId}`}
      data-testid={`review-status-${flowId}`}
      data-status={latest.status}
    >
      Version {latest.version}: {SAYS[latest.status]}
    </Link>
  );
}
