import type pg from 'pg';
import { z } from 'zod';
import { can, type Authenticate } from '../../../lib/auth/roles';
import { contactKeys } from '../../../lib/db/contact-repository';
import { database } from '../../../lib/db/database';
import { runQueries, type RunCursor, type RunStatus } from '../../../lib/db/run-queries';
import { env } from '../../../lib/env';
import { parseFlow } from '../../../lib/flow/parse';
import type { FlowDocument } from '../../../lib/flow/schema';
import { AppError } from '../../../lib/http/app-error';
import { endpoints, idParams } from '../../../lib/http/endpoint';
import { json, parseWith } from '../../../lib/http/route';
import { maskPhone } from '../../../lib/runs/mask-phone';
import { runPath, type RunPath } from '../../../lib/runs/run-path';
import { buildTimeline, type TimelineItem } from '../../../lib/runs/timeline';
import { UUID } from '../../../lib/db/uuid';

const STATUSES = ['active', 'done', 'error', 'stopped'] as const;

/** A calendar date in UTC (`2026-03-10`), as the date inputs send it. */
export const utcDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date like 2026-03-10' })
  // Checked whatever the pattern said (zod runs every check): a non-date must not reach toISOString, which throws.
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, { error: 'is not a real date' });

/** The start of a UTC date, and of the day after (a `to` date is included whole). */
export const startOfDay = (d: string) => new Date(`${d}T00:00:00Z`);
export const dayAfter = (d: string) => new Date(startOfDay(d).getTime() + 24 * 3_600_000);

const listQuery = z
  .strictObject({
    status: z.array(z.enum(STATUSES, { error: 'must be active, done, error or stopped' })).optional(),
    flow: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'is not a flow id' }).optional(),
    contact: z.string().regex(UUID, { error: 'is not a contact id (a UUID)' }).optional(),
    from: utcDate.optional(),
    to: utcDate.optional(),
    cursor: z.string().regex(/^\d{1,20}_[0-9a-f-]{36}$/i, { error: 'is not a cursor from a previous page' }).optional(),
    limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(200, { error: 'must be at most 200' }).optional(),
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

const encodeCursor = (c: RunCursor) => `${c.startedMicros}_${c.id}`;
const decodeCursor = (text: string): RunCursor => {
  const at = text.indexOf('_');
  return { startedMicros: text.slice(0, at), id: text.slice(at + 1) };
};

/** One row of GET /api/runs. */
export interface RunListItem {
  id: string;
  flow: { id: string; name: string; version: number };
  contact: { id: string; phone: string | null; name: string | null };
  status: RunStatus;
  node: string | null;
  startedAt: string;
  endedAt: string | null;
  stopReason: string | null;
}

/** The body of GET /api/runs. */
export interface RunListResponse {
  runs: RunListItem[];
  nextCursor: string | null;
}

/** The body of GET /api/runs/:id/timeline. */
export interface RunTimelineResponse {
  run: Omit<RunListItem, 'flow'> & { flow: RunListItem['flow'] & { versionId: string } };
  canCancel: boolean;
  flow: FlowDocument | null;
  path: RunPath;
  timeline: TimelineItem[];
}

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
    list: endpoint({ access: 'read' }, async ({ request }) => {
      const q = parseWith(listQuery, queryOf(new URL(request.url)));
      const limit = q.limit ?? 50;
      const page = await (await queries()).listRuns({
        limit,
        ...(q.status ? { status: q.status } : {}),
        ...(q.flow ? { flowId: q.flow } : {}),
        ...(q.contact ? { contactId: q.contact } : {}),
        ...(q.from ? { from: startOfDay(q.from) } : {}),
        ...(q.to ? { to: dayAfter(q.to) } : {}),
        ...(q.cursor ? { cursor: decodeCursor(q.cursor) } : {}),
      });
      return json({
        runs: page.rows.map((r): RunListItem => ({
          id: r.id,
          flow: { id: r.flowId, name: r.flowName, version: r.version },
          contact: { id: r.contactId, phone: maskPhone(r.phone), name: r.name },
          status: r.status,
          node: r.node,
          startedAt: r.startedAt.toISOString(),
          endedAt: r.endedAt?.toISOString() ?? null,
          stopReason: r.stopReason,
        })),
        nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
      } satisfies RunListResponse);
    }),

    /** GET: the run's header, timeline, path on its flow, and whether the caller may cancel it. */
    timeline: endpoint({ access: 'read', params: idParams }, async ({ actor, params: { id } }) => {
      if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a run id (a UUID)`, { path: 'id' });
      const rq = await queries();
      const run = await rq.runDetail(id);
      if (!run) throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
      const [events, moves, messages, deferrals, payments, verifications] = await Promise.all([
        rq.events(id), rq.moves(id), rq.messages(id), rq.deferrals(id), rq.payments(id), rq.verifications(id),
      ]);
      const parsed = parseFlow(run.content);
      const current = run.status === 'active' ? run.node : null;
      return json({
        run: {
          id: run.id,
          status: run.status,
          flow: { id: run.flowId, name: run.flowName, version: run.version, versionId: run.flowVersionId },
          contact: { id: run.contactId, phone: maskPhone(run.phone), name: run.name },
          node: run.node,
          startedAt: run.startedAt.toISOString(),
          endedAt: run.endedAt?.toISOString() ?? null,
          stopReason: run.stopReason,
        },
        canCancel: run.status === 'active' && can(actor, 'runs.write'),
        flow: parsed.ok ? parsed.flow : null,
        path: parsed.ok ? runPath(parsed.flow, moves, current) : { nodeTones: {}, edgeTones: {} },
        timeline: buildTimeline({ events, moves, messages, deferrals, payments, verifications }),
      } satisfies RunTimelineResponse);
    }),
  };
}
