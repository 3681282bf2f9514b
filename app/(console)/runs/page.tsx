import type { Metadata } from 'next';
import { RunList, type RunFilters } from '@/components/runs/run-list';
import styles from '@/components/runs/runs.module.css';
import { requirePageActor } from '@/lib/auth/page-actor';
import { flowList } from '@/lib/data';
import { PageHeader } from '@/components/ui/page-header';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Runs · Optline' };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** Every run: status, flow, contact and start date filters (kept in the address, so a contact's page can link here). */
export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageActor();
  const q = await searchParams;
  const initial: RunFilters = {
    status: first(q.status),
    flow: first(q.flow),
    contact: first(q.contact),
    from: first(q.from),
    to: first(q.to),
  };
  const flows = (await flowList(actor)).map(({ id, name }) => ({ id, name }));
  return (
    <main className={`page ${styles.wide}`}>
      <PageHeader
        title="Runs"
        lede="Each run is one contact in one version of a flow. Open a run to see its texts, replies, payments and the path it took."
      />
      <RunList initial={initial} flows={flows} />
    </main>
  );
}
