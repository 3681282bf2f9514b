import type { Metadata } from 'next';
import Link from 'next/link';
import { SegmentBuilder } from '@/components/segments/segment-builder';
import { DataTable } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/access/roles';
import { requirePageActor } from '@/lib/auth/page-actor';
import { segmentsPage } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Segments · Optline' };

/** Segments: saved audiences over contacts, and the builder for a new one. */
export default async function SegmentsPage() {
  const actor = await requirePageActor();
  const { segments, choices } = await segmentsPage(actor);
  const rows = segments.map((s) => ({ id: s.id, name: s.name, createdBy: s.createdBy, createdAt: s.createdAt.toISOString() }));
  return (
    <main className="page">
      <PageHeader
        title="Segments"
        lede="Audiences for campaigns: contacts picked by consent, where they are, attributes, tags, the file they came from, or a flow they are in."
      />
      <section aria-labelledby="segments-heading">
        <h2 id="segments-heading">Saved segments</h2>
        <DataTable
          label="Segments"
          rows={rows}
          empty="No segments yet."
          columns={[
            {
              header: 'Name',
              cell: (s) => (
                <Link href={`/segments/${s.id}`} className="flow-link">
                  {s.name}
                </Link>
              ),
            },
            { header: 'Created', cell: (s) => <LocalTime iso={s.createdAt} /> },
          ]}
        />
      </section>
      {can(actor, 'contacts.write') && (
        <section aria-labelledby="new-segment-heading">
          <h2 id="new-segment-heading">New segment</h2>
          <SegmentBuilder choices={choices} />
        </section>
      )}
    </main>
  );
}
