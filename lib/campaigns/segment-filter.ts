import { z } from 'zod';
import { isKnownZone } from '@/lib/compliance/local-time';
import { isUsState } from '@/lib/compliance/states';
import type { SegmentFilter, SegmentLeaf } from '@/lib/db/segment-repository';
import { UUID } from '@/lib/fields';

/**
 * The shape and bounds of a segment's filter tree, checked at the boundary
 * before it is stored or compiled to SQL (lib/db/segment-repository.ts):
 * at most `MAX_DEPTH` levels and `MAX_CONDITIONS` conditions, every value
 * bounded, every key a plain name.
 */

export const MAX_DEPTH = 5;
export const MAX_CONDITIONS = 50;
const MAX_LIST = 60;

const attributeKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'must be an attribute key of letters, digits and _ (e.g. amount_due)' });

const leaf: z.ZodType<SegmentLeaf> = z.discriminatedUnion('field', [
  z.strictObject({
    field: z.literal('consent'),
    purpose: z.enum(['informational', 'marketing'], { error: 'must be informational or marketing' }),
    status: z.enum(['granted', 'none', 'revoked'], { error: 'must be granted, none (never asked) or revoked' }),
  }),
  z.strictObject({
    field: z.literal('state'),
    in: z
      .array(z.string().refine((s) => isUsState(s), { error: 'is not a two-letter US state code like IL' }))
      .min(1, { error: 'name at least one state' })
      .max(MAX_LIST),
  }),
  z.strictObject({
    field: z.literal('zone'),
    in: z
      .array(
        z
          .string()
          .max(64)
          .refine((s) => /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(s) && isKnownZone(s), {
            error: 'is not an IANA time zone like America/Chicago',
          }),
      )
      .min(1, { error: 'name at least one time zone' })
      .max(MAX_LIST),
  }),
  z
    .strictObject({
      field: z.literal('attribute'),
      key: attributeKey,
      op: z.enum(['exists', 'equals', 'contains', 'gt', 'gte', 'lt', 'lte', 'before', 'after'], {
        error: 'must be exists, equals, contains, gt, gte, lt, lte, before or after',
      }),
      value: z.union([z.string().max(500), z.number().finite()]).optional(),
    })
    .superRefine((f, ctx) => {
      const v = f.value;
      if (f.op === 'exists') return;
      if (v === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `a comparison "${f.op}" needs a value` });
      else if (['gt', 'gte', 'lt', 'lte'].includes(f.op) && !/^-?\d+(\.\d+)?$/.test(String(v)))
        ctx.addIssue({ code: 'custom', path: ['value'], message: `"${v}" is not a number` });
      else if ((f.op === 'before' || f.op === 'after') && !/^\d{4}-\d{2}-\d{2}$/.test(String(v)))
        ctx.addIssue({ code: 'custom', path: ['value'], message: `"${v}" is not a date like 2026-03-10` });
    }),
  z.strictObject({
    field: z.literal('tag'),
    tag: z
      .string()
      .transform((t) => t.trim().toLowerCase())
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/, { error: 'is not a tag (up to 40 letters, digits, spaces, _ or -)' })),
  }),
  z.strictObject({ field: z.literal('import'), importId: z.string().regex(UUID, { error: 'is not an import id (a UUID)' }) }),
  z.strictObject({
    field: z.literal('run'),
    flowId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'is not a flow id' }),
    active: z.boolean().optional(),
  }),
  z.strictObject({
    field: z.literal('contact'),
    ids: z
      .array(z.string().regex(UUID, { error: 'is not a contact id (a UUID)' }))
      .min(1, { error: 'pick at least one contact' })
      .max(1000, { error: 'at most 1,000 contacts picked by hand; use a tag or a segment for more' }),
  }),
]) as z.ZodType<SegmentLeaf>;

/** A filter tree, checked for shape; `checkFilterBounds` checks depth and size. */
export const segmentFilterSchema: z.ZodType<SegmentFilter> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(segmentFilterSchema).max(MAX_CONDITIONS) }),
    z.strictObject({ any: z.array(segmentFilterSchema).max(MAX_CONDITIONS) }),
    z.strictObject({ not: segmentFilterSchema }),
    leaf,
  ]),
) as z.ZodType<SegmentFilter>;

/** The filter's depth and condition count, or the first bound it breaks (a sentence). */
export function filterBoundsProblem(filter: SegmentFilter): string | null {
  let conditions = 0;
  let deepest = 0;
  const walk = (f: SegmentFilter, depth: number) => {
    deepest = Math.max(deepest, depth);
    if ('all' in f) f.all.forEach((g) => walk(g, depth + 1));
    else if ('any' in f) f.any.forEach((g) => walk(g, depth + 1));
    else if ('not' in f) walk(f.not, depth + 1);
    else conditions += 1;
  };
  walk(filter, 1);
  if (deepest > MAX_DEPTH) return `the filter nests ${deepest} levels deep; at most ${MAX_DEPTH}`;
  if (conditions > MAX_CONDITIONS) return `the filter has ${conditions} conditions; at most ${MAX_CONDITIONS}`;
  return null;
}

/** A filter as a request gives it: shape checked, then depth and size. */
export const boundedFilterSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    // Depth first, before zod recurses into something arbitrarily deep (the body reader already caps JSON depth).
    const parsed = segmentFilterSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message, path: issue.path });
      return;
    }
    const problem = filterBoundsProblem(parsed.data);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((value) => segmentFilterSchema.parse(value));
