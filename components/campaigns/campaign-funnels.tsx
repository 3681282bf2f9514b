import Link from 'next/link';
import type { CampaignProgress, CampaignStatus } from '@/lib/campaigns';
import { DataTable } from '@/components/ui/data-table';

/** The dashboard's per-campaign funnel: enrolled, first text sent, held, blocked, replied, opted out, paid. */
export function CampaignFunnels({
  funnels,
}: {
  funnels: { id: string; name: string; status: CampaignStatus; progress: CampaignProgress }[];
}) {
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    <section aria-labelledby="campaign-funnels-heading">
      <h2 id="campaign-funnels-heading">Campaigns</h2>
      <DataTable
        label="Campaign funnels"
        rows={funnels}
        empty="No campaign launched yet."
        columns={[
          {
            header: 'Campaign',
            cell: (f) => (
              <Link href={`/campaigns/${f.id}`} className="flow-link">
                {f.name}
              </Link>
            ),
          },
          { header: 'Status', cell: (f) => f.status },
          { header: 'Enrolled', cell: (f) => n(f.progress.enrolled) },
          { header: 'First text sent', cell: (f) => n(f.progress.firstTextSent) },
          { header: 'Held', cell: (f) => n(f.progress.held) },
          { header: 'Blocked', cell: (f) => n(f.progress.blocked) },
          { header: 'Replied', cell: (f) => n(f.progress.replied) },
          { header: 'Opted out', cell: (f) => n(f.progress.optedOut) },
          { header: 'Paid', cell: (f) => n(f.progress.paid) },
        ]}
      />
    </section>
  );
}
