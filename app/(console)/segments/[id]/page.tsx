import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { SampleTable, SegmentBuilder } from '@/components/segments/segment-builder';
import { PageHeader } from '@/components/ui/page-header';
import { can } from '@/lib/access/roles';
import { requirePageActor } from '@/lib/auth/page-actor';
import { segmentDetail, segmentsPage } from '@/lib/data';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Segment · Optline' };

/** One segment: its live count and sample, and its conditions to edit. */
export default async function SegmentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const detail = await segmentDetail(actor, id);
  if (!detail) notFound();
  const { segment, preview } = detail;
  const { choices } = await segmentsPage(actor);
  return (
    <main className="page">
      <PageHeader title={segment.name} lede={`${preview.count.toLocaleString('en-US')} contacts match right now.`}>
        <p>
          <Link href="/segments">All segments</Link> · <Link href={`/campaigns?segment=${segment.id}`}>Start a campaign with it</Link>
        </p>
      </PageHeader>
      <SampleTable sample={preview.sample} />
      {can(actor, 'contacts.write') && (
        <section aria-labelledby="edit-heading">
          <h2 id="edit-heading">Conditions</h2>
          <SegmentBuilder choices={choices} initial={{ id: segment.id, name: segment.name, filter: segment.filter }} />
        </section>
      )}
    </main>
  );
}
