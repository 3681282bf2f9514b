import type { Metadata } from 'next';
import { Dashboard } from '@/components/dashboard/dashboard';
import { requirePageActor } from '@/lib/auth/page-actor';
import { CampaignFunnels } from '@/components/campaigns/campaign-funnels';
import { appNow, campaignFunnels } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Dashboard · Optline' };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEFAULT_DAYS = 30;

/** The dashboard: per flow, the funnel of the runs started in a date range (default: the last 30 days, UTC). */
export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  const q = await searchParams;
  // The clock is read here, at the edge; the API takes the range as parameters. Runs are stamped by the database's real time, so the range is real days.
  const today = new Date();
  const defaultTo = today.toISOString().slice(0, 10);
  const defaultFrom = new Date(today.getTime() - (DEFAULT_DAYS - 1) * 24 * 3_600_000).toISOString().slice(0, 10);
  const from = typeof q.from === 'string' && DATE.test(q.from) ? q.from : defaultFrom;
  const to = typeof q.to === 'string' && DATE.test(q.to) ? q.to : defaultTo;
  return (
    <main className="page">
      <PageHeader
        title="Dashboard"
        lede="For the runs each flow started in the range: how many got a text delivered, replied, opted out (STOP), verified their identity and paid, and the money collected."
      />
      <Dashboard initialFrom={from} initialTo={to} />
      {/* What is still held is decided by the app's clock (the sandbox clock's time when it is on), as the holds were. */}
      <CampaignFunnels funnels={await campaignFunnels(actor, appNow())} />
    </main>
  );
}
