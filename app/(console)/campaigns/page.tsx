import type { Metadata } from 'next';
import Link from 'next/link';
import { NewCampaignForm } from '@/components/campaigns/new-campaign-form';
import { DataTable } from '@/components/ui/data-table';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/access/roles';
import { requirePageActor } from '@/lib/auth/page-actor';
import { campaignsPage } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Campaigns · Optline' };

/** Campaigns: a flow started for an audience, previewed before launch; and a new one. */
export default async function CampaignsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  const q = await searchParams;
  const { campaigns, choices } = await campaignsPage(actor);
  const rows = campaigns.map((c) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    total: (c.preview?.total as number | undefined) ?? null,
  }));
  return (
    <main className="page">
      <PageHeader
        title="Campaigns"
        lede="Start an approved flow for an audience. Before launch, the preview shows who is texted at once, who is held for their hours and until when, and who is blocked and why."
      />
      <DataTable
        label="Campaigns"
        rows={rows}
        empty="No campaigns yet."
        columns={[
          {
            header: 'Name',
            cell: (c) => (
              <Link href={`/campaigns/${c.id}`} className="flow-link">
                {c.name}
              </Link>
            ),
          },
          { header: 'Status', cell: (c) => c.status },
          { header: 'Audience (previewed)', cell: (c) => (c.total === null ? '—' : c.total.toLocaleString('en-US')) },
        ]}
      />
      {can(actor, 'runs.write') && (
        <section aria-labelledby="new-campaign-heading">
          <h2 id="new-campaign-heading">New campaign</h2>
          <NewCampaignForm choices={choices} {...(typeof q.segment === 'string' ? { segmentId: q.segment } : {})} />
        </section>
      )}
    </main>
  );
}
