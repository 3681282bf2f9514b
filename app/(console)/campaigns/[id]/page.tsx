import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CampaignView } from '@/components/campaigns/campaign-view';
import { PageHeader } from '@/components/ui/page-header';
import type { PreviewSummary } from '@/lib/campaigns';
import { requirePageActor } from '@/lib/auth/page-actor';
import { appNow, campaignDetail } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Campaign · Optline' };

/** One campaign: its preview, launch and live progress. */
export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  // The clock is read here, at the edge: what is still held depends on it (the sandbox clock's time when it is on).
  const detail = await campaignDetail(actor, id, appNow());
  if (!detail) notFound();
  const { campaign, progress } = detail;
  const audience =
    campaign.audience.kind === 'segment'
      ? `segment “${campaign.audience.segmentName}”`
      : campaign.audience.kind === 'import'
        ? 'one CSV import'
        : `${campaign.audience.contactIds.length} contacts picked`;
  return (
    <main className="page">
      <PageHeader title={campaign.name} lede={`For ${audience}.`}>
        <p>
          <Link href="/campaigns">All campaigns</Link>
        </p>
      </PageHeader>
      <CampaignView
        initial={{
          ...campaign,
          preview: campaign.preview as PreviewSummary | null,
          launchedAt: campaign.launchedAt?.toISOString() ?? null,
        }}
        initialProgress={{ ...progress, heldUntil: progress.heldUntil.map((h) => ({ ...h, until: h.until.toISOString() })) }}
      />
    </main>
  );
}
