import type pg from 'pg';
import { z } from 'zod';
import { isoTime } from '@/lib/http/openapi';
import type { Authenticate } from '@/lib/access/roles';
import { contactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import { runQueries } from '@/lib/db/run-queries';
import { uuidField } from '@/lib/fields';
import { env } from '@/lib/env';
import { endpoints, errorAnswer, idParams, jsonResponse } from '@/lib/http/endpoint';
import { json, parseWith } from '@/lib/http/route';
import { dayAfter, decodeRunCursor, runInspection, runListPage, startOfDay, utcDate } from '@/lib/runs';

const STATUSES = ['active', 'done', 'error', 'stopped'] as const;

const listQuery = z
  .strictObject({
    status: z.array(z.enum(STATUSES, { error: 'must be active, done, error or stopped' })).optional(),
    flow: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'is not a flow id' })
      .optional(),
    contact: uuidField('contact').optional(),
    from: utcDate.optional(),
    to: utcDate.optional(),
    cursor: z
      .string()
      .regex(/^\d{1,20}_[0-9a-f-]{36}$/i, { error: 'is not a cursor from a previous page' })
      .optional(),
    limit: z.coerce
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(200, { error: 'must be at most 200' })
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: 'must not be before from', path: ['to'] });

/** A query string as an object: repeated keys (`status=a&status=b`, or `status=a,b`) become arrays where the schema wants one. */
function queryOf(url: URL): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key).filter((v) => v !== '');
    if (values.length === 0) continue;
    out[key] = key === 'status' ? values.flatMap((v) => v.split(',')) : values.at(-1);
  }
  return out;
}

const runListItem = z.object({
  id: z.string(),
  flow: z.object({ id: z.string(), name: z.string(), version: z.number().int() }),
  contact: z.object({ id: z.string(), phone: z.string().nullable().meta({ description: 'Masked.' }), name: z.string().nullable() }),
  status: z.enum(STATUSES),
  node: z.string().nullable(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  stopReason: z.string().nullable(),
});
const runListBody = z.object({ runs: z.array(runListItem), nextCursor: z.string().nullable() });
const runTimelineBody = z.object({
  run: runListItem.extend({ flow: runListItem.shape.flow.extend({ versionId: z.string() }) }),
  canCancel: z.boolean(),
  contactZones: z
    .array(z.string())
    .meta({ description: 'The zones the contact may be in, as the runtime resolves them for sending windows.' }),
  flow: z.looseObject({}).nullable().meta({ description: "The flow document of the run's version." }),
  path: z.looseObject({}),
  timeline: z.array(z.looseObject({ kind: z.string(), at: isoTime })),
});

export interface RunListDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
  /** APP_SECRET, to decrypt contacts' names. */
  appSecret?: () => string;
}

/** GET /api/runs (the list) and GET /api/runs/:id/timeline (the inspector). */
export function runListHandlers(deps: RunListDeps) {
  const pool = deps.pool ?? (async () => (await database()).pool);
  const secret = deps.appSecret ?? (() => env().appSecret);
  const queries = async () => runQueries(await pool(), contactKeys(secret()));
  const endpoint = endpoints(deps);

  return {
    /** GET `?status=&flow=&contact=&from=&to=&cursor=&limit=`: runs newest first, a page at a time. */
    list: endpoint(
      {
        access: 'read',
        doc: {
          id: 'listRuns',
          summary: 'List the runs',
          description:
            'Newest first, a page at a time (`cursor` is the `nextCursor` of the page before). `status` may repeat or list several, comma-separated.',
          query: listQuery,
          responses: { 200: jsonResponse('A page of runs.', runListBody) },
        },
      },
      async ({ request }) => {
        const q = parseWith(listQuery, queryOf(new URL(request.url)));
        return json(
          await runListPage(await queries(), {
            limit: q.limit ?? 50,
            ...(q.status ? { status: q.status } : {}),
            ...(q.flow ? { flowId: q.flow } : {}),
            ...(q.contact ? { contactId: q.contact } : {}),
            ...(q.from ? { from: startOfDay(q.from) } : {}),
            ...(q.to ? { to: dayAfter(q.to) } : {}),
            ...(q.cursor ? { cursor: decodeRunCursor(q.cursor) } : {}),
          }),
        );
      },
    ),

    /** GET: the run's header, timeline, path on its flow, and whether the caller may cancel it. */
    timeline: endpoint(
      {
        access: 'read',
        params: idParams,
        doc: {
          id: 'getRunTimeline',
          summary: "A run's inspector data",
          description: "The run's header, timeline, path on its flow, and whether the caller may cancel it.",
          responses: { 200: jsonResponse('The run, its timeline and path.', runTimelineBody), 404: errorAnswer('There is no such run.') },
        },
      },
      async ({ actor, params: { id } }) => json(await runInspection(await queries(), actor, id)),
    ),
  };
}
