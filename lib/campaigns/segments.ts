import type pg from 'pg';
import { z } from 'zod';
import { actorRef, requirePermission, type Actor } from '@/lib/access/roles';
import { AppError } from '@/lib/app-error';
import { recordAudit } from '@/lib/db/audit-repository';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { isPgError, withTransaction } from '@/lib/db/queryable';
import { segmentRepository, type Segment, type SegmentFilter, type SegmentMember } from '@/lib/db/segment-repository';
import { UUID } from '@/lib/fields';
import { boundedFilterSchema } from './segment-filter';

/** A segment as a request gives it. */
export const segmentBody = z.strictObject({
  name: z
    .string({ error: 'give the segment a name' })
    .trim()
    .min(1, { error: 'give the segment a name' })
    .max(120, { error: 'is longer than 120 characters' }),
  filter: boundedFilterSchema,
});
export type SegmentBody = z.infer<typeof segmentBody>;

/** Tags to add to contacts picked on the contacts list. */
export const tagContactsBody = z.strictObject({
  contactIds: z
    .array(z.string().regex(UUID, { error: 'is not a contact id (a UUID)' }))
    .min(1, { error: 'pick at least one contact' })
    .max(1000, { error: 'at most 1,000 contacts at a time' }),
  tag: z
    .string({ error: 'give the tag' })
    .transform((t) => t.trim().toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/, { error: 'is not a tag (up to 40 letters, digits, spaces, _ or -)' })),
});

/** The most tags a contact holds (the contacts.tags check constraint). */
export const MAX_TAGS = 50;

/** How many contacts a segment's sample shows. */
export const SAMPLE_SIZE = 20;
// Contacts whose segment facts are filled per statement (rows written before segments existed, or updated since).
const FILL_BATCH = 1000;

/** A segment's live size and a few of its contacts (no names: they stay encrypted). */
export interface SegmentPreview {
  count: number;
  sample: SegmentMember[];
}

/**
 * Fills the segment facts of every contact that lacks them, a batch at a
 * time, so a segment evaluated next sees every contact as the runtime
 * resolves it.
 */
export async function fillSegmentFacts(pool: pg.Pool, keys: ContactKeys): Promise<number> {
  let filled = 0;
  for (;;) {
    const n = await withTransaction(pool, (tx) => contactRepository(tx, keys).fillSegmentFacts(FILL_BATCH));
    filled += n;
    if (n < FILL_BATCH) return filled;
  }
}

/** The live count and a sample of the contacts a filter holds, evaluated in Postgres. */
export async function previewSegmentFilter(pool: pg.Pool, keys: ContactKeys, actor: Actor, filter: SegmentFilter): Promise<SegmentPreview> {
  requirePermission(actor, 'read');
  await fillSegmentFacts(pool, keys);
  const segments = segmentRepository(pool);
  const [count, sample] = await Promise.all([segments.count(filter), segments.members(filter, { limit: SAMPLE_SIZE })]);
  return { count, sample };
}

/** Saves a new segment (audited in the same transaction). */
export async function createSegment(pool: pg.Pool, actor: Actor, body: SegmentBody): Promise<Segment> {
  requirePermission(actor, 'contacts.write');
  return withTransaction(pool, async (tx) => {
    const segment = await segmentRepository(tx).create({ name: body.name, filter: body.filter, createdBy: actorRef(actor) });
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'segment.created',
      subjectType: 'segment',
      subjectId: segment.id,
      details: { name: segment.name, filter: segment.filter },
    });
    return segment;
  });
}

/** Changes a segment's name and filter (audited in the same transaction). */
export async function updateSegment(pool: pg.Pool, actor: Actor, id: string, body: SegmentBody): Promise<Segment> {
  requirePermission(actor, 'contacts.write');
  if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a segment id (a UUID)`, { path: 'id' });
  return withTransaction(pool, async (tx) => {
    const segment = await segmentRepository(tx).update(id, { name: body.name, filter: body.filter });
    if (!segment) throw new AppError('not_found', `there is no segment ${id}`, { path: 'id' });
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'segment.updated',
      subjectType: 'segment',
      subjectId: id,
      details: { name: segment.name, filter: segment.filter },
    });
    return segment;
  });
}

/** A segment by id, or a 404 naming it. */
export async function getSegment(pool: pg.Pool, actor: Actor, id: string): Promise<Segment> {
  requirePermission(actor, 'read');
  if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a segment id (a UUID)`, { path: 'id' });
  const segment = await segmentRepository(pool).get(id);
  if (!segment) throw new AppError('not_found', `there is no segment ${id}`, { path: 'id' });
  return segment;
}

/** Every segment, newest first. */
export async function listSegments(pool: pg.Pool, actor: Actor): Promise<Segment[]> {
  requirePermission(actor, 'read');
  return segmentRepository(pool).list();
}

/** Adds a tag to the contacts picked (audited in the same transaction); returns how many changed. */
export async function tagContacts(pool: pg.Pool, keys: ContactKeys, actor: Actor, body: z.infer<typeof tagContactsBody>): Promise<number> {
  requirePermission(actor, 'contacts.write');
  return withTransaction(pool, async (tx) => {
    const changed = await contactRepository(tx, keys)
      .addTags(body.contactIds, [body.tag])
      .catch((err: unknown) => {
        // contacts.tags holds at most MAX_TAGS (its check constraint): nothing is tagged when one picked contact is full.
        if (isPgError(err, '23514')) {
          throw new AppError(
            'unprocessable',
            `contactIds: a contact picked has ${MAX_TAGS} tags already, the most a contact holds; remove one of its tags first`,
            { path: 'contactIds' },
          );
        }
        throw err;
      });
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'contacts.tagged',
      subjectType: 'contacts',
      subjectId: null,
      details: { tag: body.tag, asked: body.contactIds.length, changed },
    });
    return changed;
  });
}
