import type pg from 'pg';
import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import {
  createSegment,
  getSegment,
  listSegments,
  previewSegmentFilter,
  segmentBody,
  tagContacts,
  tagContactsBody,
  updateSegment,
} from '@/lib/campaigns/segments';
import { boundedFilterSchema } from '@/lib/campaigns/segment-filter';
import { contactImportRepository } from '@/lib/db/contact-import-repository';
import { contactKeys, type ContactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import type { Segment } from '@/lib/db/segment-repository';
import { env } from '@/lib/env';
import { endpoints, errorAnswer, idParams, jsonBody, jsonResponse, type OperationDoc } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';

/** A segment's filter as the API answers it (the tree it was saved with). */
const filterResponse = z.record(z.string(), z.unknown());

/** One segment. */
export const segmentResponse = z.object({
  id: z.string(),
  name: z.string(),
  filter: filterResponse,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A contact in a segment's sample: no name (names stay encrypted). */
export const segmentMemberResponse = z.object({
  id: z.string(),
  phone: z.string(),
  zones: z.array(z.string()),
  states: z.array(z.string()),
  tags: z.array(z.string()),
  consent: z.enum(['granted', 'informational', 'missing', 'revoked']),
});

/** A segment's live count and sample. */
export const segmentPreviewResponse = z.object({ count: z.number().int(), sample: z.array(segmentMemberResponse) });

/** GET /api/segments. */
export const segmentListResponse = z.object({ segments: z.array(segmentResponse) });
/** POST /api/segments, PUT /api/segments/:id. */
export const segmentSavedResponse = z.object({ segment: segmentResponse });
/** GET /api/segments/:id. */
export const segmentDetailResponse = z.object({ segment: segmentResponse, preview: segmentPreviewResponse });
/** POST /api/contacts/tags. */
export const tagContactsResponse = z.object({ tag: z.string(), changed: z.number().int() });
/** GET /api/contacts/imports. */
export const contactImportsResponse = z.object({
  imports: z.array(
    z.object({ id: z.string(), fileName: z.string(), importedBy: z.string(), importedAt: z.string(), contacts: z.number() }),
  ),
});

const segmentNotFound = errorAnswer('There is no segment with this id.');

/** What the API reference says of each segment route. */
const docs = {
  list: {
    id: 'listSegments',
    summary: 'List segments',
    description: 'Every saved segment (audience), newest first.',
    responses: { 200: jsonResponse('The segments.', segmentListResponse) },
  },
  create: {
    id: 'createSegment',
    summary: 'Save a segment',
    description:
      'A name and a filter tree (`all`, `any`, `not`, and conditions on consent, state, zone, attributes, tags, a CSV import, runs of a flow).',
    example: {
      name: 'Marketing, Eastern',
      filter: {
        all: [
          { field: 'consent', purpose: 'marketing', status: 'granted' },
          { field: 'zone', in: ['America/New_York'] },
        ],
      },
    },
    responses: { 201: jsonResponse('The saved segment.', segmentSavedResponse) },
  },
  get: {
    id: 'getSegment',
    summary: 'Get a segment',
    description: 'The segment with its live count and a sample of its contacts (no names).',
    responses: { 200: jsonResponse('The segment, its count and sample.', segmentDetailResponse), 404: segmentNotFound },
  },
  update: {
    id: 'updateSegment',
    summary: 'Change a segment',
    responses: { 200: jsonResponse('The changed segment.', segmentSavedResponse), 404: segmentNotFound },
  },
  preview: {
    id: 'previewSegmentFilter',
    summary: 'Count a filter',
    description: 'The live count and a sample of a filter not saved yet (what the segment builder shows).',
    responses: { 200: jsonResponse('The count and a sample.', segmentPreviewResponse) },
  },
  tag: {
    id: 'tagContacts',
    summary: 'Tag contacts',
    description: 'Adds a tag to the contacts picked (at most 50 tags a contact).',
    example: { contactIds: ['6b1f3c2e-8a4d-4f5e-9b7a-1c2d3e4f5a6b'], tag: 'vip' },
    responses: { 200: jsonResponse('The tag and how many contacts gained it.', tagContactsResponse) },
  },
  imports: {
    id: 'listContactImports',
    summary: 'List contact CSV imports',
    description: 'The latest CSV imports, which a segment may select the contacts of.',
    responses: { 200: jsonResponse('The imports.', contactImportsResponse) },
  },
} satisfies Record<string, OperationDoc>;

export interface SegmentHandlerDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
  keys?: () => ContactKeys;
}

const view = (s: Segment) => ({ ...s, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString() });

/** The segments API (saved audiences) and the contacts' tags and imports it filters on. */
export function segmentHandlers(deps: SegmentHandlerDeps) {
  const getPool = deps.pool ?? (async () => (await database()).pool);
  const getKeys = deps.keys ?? (() => contactKeys(env().appSecret));
  const endpoint = endpoints(deps);

  return {
    /** GET: every segment, newest first. */
    list: endpoint({ doc: docs.list, access: 'read' }, async ({ actor }) => {
      const segments = await listSegments(await getPool(), actor);
      return json(segmentListResponse.parse({ segments: segments.map(view) }));
    }),

    /** POST `{ name, filter }`: saves a segment. */
    create: endpoint({ doc: docs.create, access: 'contacts.write', body: jsonBody(segmentBody) }, async ({ actor, body }) => {
      const segment = await createSegment(await getPool(), actor, body);
      return json(segmentSavedResponse.parse({ segment: view(segment) }), { status: 201 });
    }),

    /** GET: a segment with its live count and a sample. */
    get: endpoint({ doc: docs.get, access: 'read', params: idParams }, async ({ actor, params: { id } }) => {
      const pool = await getPool();
      const segment = await getSegment(pool, actor, id);
      const preview = await previewSegmentFilter(pool, getKeys(), actor, segment.filter);
      return json(segmentDetailResponse.parse({ segment: view(segment), preview }));
    }),

    /** PUT `{ name, filter }`: changes a segment. */
    update: endpoint(
      { doc: docs.update, access: 'contacts.write', params: idParams, body: jsonBody(segmentBody) },
      async ({ actor, params: { id }, body }) => {
        const segment = await updateSegment(await getPool(), actor, id, body);
        return json(segmentSavedResponse.parse({ segment: view(segment) }));
      },
    ),

    /** POST `{ filter }`: the live count and a sample of a filter not saved yet (the segment builder). */
    preview: endpoint(
      { doc: docs.preview, access: 'read', body: jsonBody(z.strictObject({ filter: boundedFilterSchema })) },
      async ({ actor, body }) => {
        const preview = await previewSegmentFilter(await getPool(), getKeys(), actor, body.filter);
        return json(segmentPreviewResponse.parse(preview));
      },
    ),

    /** POST `{ contactIds, tag }`: adds a tag to the contacts picked on the contacts list. */
    tag: endpoint({ doc: docs.tag, access: 'contacts.write', body: jsonBody(tagContactsBody) }, async ({ actor, body }) => {
      const changed = await tagContacts(await getPool(), getKeys(), actor, body);
      return json(tagContactsResponse.parse({ tag: body.tag, changed }));
    }),

    /** GET: the latest CSV imports (a segment can select the contacts one wrote). */
    imports: endpoint({ doc: docs.imports, access: 'read' }, async () => {
      const imports = await contactImportRepository(await getPool()).list();
      return json(contactImportsResponse.parse({ imports: imports.map((i) => ({ ...i, importedAt: i.importedAt.toISOString() })) }));
    }),
  };
}
