import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { VersionsPanel } from '@/components/review/versions-panel';
import { requirePageActor } from '@/lib/auth/page-actor';
import { can } from '@/lib/access/roles';
import { draftReadiness, flowVersions } from '@/lib/data';
import { isAppError } from '@/lib/app-error';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Versions · Optline' };

export default async function VersionsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const { people, ...listed } = await flowVersions(actor, id).catch((err: unknown) => {
    if (isAppError(err) && err.code === 'not_found') notFound();
    throw err;
  });
  const canSubmit = can(actor, 'flows.edit');
  const check = canSubmit ? await draftReadiness(actor, id) : undefined;
  return (
    <main className="page">
      <header className="page-header">
        <p>
          <Link href={`/flows/${encodeURIComponent(id)}`}>← Back to {canSubmit ? 'the editor' : 'the flow'}</Link>
        </p>
        <h1>Versions of {listed.flow.name}</h1>
        <p className="lede">
          A version is frozen when it is submitted. A reviewer who did not write it approves it; only an approved version can be activated,
          and any edit needs a new version.
        </p>
      </header>
      <VersionsPanel
        flowId={id}
        initial={listed.versions}
        people={people}
        canSubmit={canSubmit}
        check={check ?? { errors: [], warnings: [] }}
      />
    </main>
  );
}
