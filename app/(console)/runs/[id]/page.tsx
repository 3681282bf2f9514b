import type { Metadata } from 'next';
import { RunInspector } from '@/components/runs/run-inspector';
import styles from '@/components/runs/runs.module.css';
import { requirePageActor } from '@/lib/auth/page-actor';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Run · Optline' };

/** The run inspector: header, timeline, and the path drawn on the flow. */
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageActor();
  const { id } = await params;
  return (
    <main className={`page ${styles.wide}`}>
      <RunInspector runId={id} />
    </main>
  );
}
