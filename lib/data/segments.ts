// Server only: what the segment pages read, each call checking the actor's permission before any query.
import { requirePermission, type Actor } from '@/lib/access/roles';
import { previewSegmentFilter, type SegmentPreview } from '@/lib/campaigns/segments';
import { UUID } from '@/lib/fields';
import { contactImportRepository, type ContactImport } from '@/lib/db/contact-import-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { segmentRepository, type Segment } from '@/lib/db/segment-repository';
import { processData, type DataSource } from './source';

/** What the segment builder offers to filter on: the tags in use, the latest imports, the flows. */
export interface SegmentChoices {
  tags: string[];
  imports: { id: string; label: string }[];
  flows: { id: string; name: string }[];
}

const importLabel = (i: ContactImport) =>
  `${i.fileName} (${i.contacts} contacts, ${i.importedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`;

/** The segments and the builder's choices, for an actor who may read them (checked before any query). */
export async function segmentsPage(
  actor: Actor | null,
  source: DataSource = processData,
): Promise<{ segments: Segment[]; choices: SegmentChoices }> {
  requirePermission(actor, 'read');
  const pool = await source.pool();
  const [segments, tags, imports, flows] = await Promise.all([
    segmentRepository(pool).list(),
    segmentRepository(pool).tagsInUse(),
    contactImportRepository(pool).list(30),
    flowRepository(pool).listFlows(),
  ]);
  return {
    segments,
    choices: {
      tags: tags.map((t) => t.tag),
      imports: imports.map((i) => ({ id: i.id, label: importLabel(i) })),
      flows: flows.map((f) => ({ id: f.id, name: f.name })),
    },
  };
}

/** One segment with its live count and sample, for an actor who may read it; undefined when there is none. */
export async function segmentDetail(
  actor: Actor | null,
  id: string,
  source: DataSource = processData,
): Promise<{ segment: Segment; preview: SegmentPreview } | undefined> {
  const reader = requirePermission(actor, 'read');
  const pool = await source.pool();
  const segment = UUID.test(id) ? await segmentRepository(pool).get(id) : undefined;
  if (!segment) return undefined;
  return { segment, preview: await previewSegmentFilter(pool, source.contactKeys(), reader, segment.filter) };
}
