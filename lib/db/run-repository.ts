import type { StoredSnapshot } from '@/lib/flow/snapshot';
import { recordOutboundEvents, runFinishedEvent } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';

/** A run row: one contact in one flow version. */
export interface RunRow {
  id: string;
  flowVersionId: string;
  contactId: string;
  status: 'active' | 'done' | 'error' | 'stopped';
  snapshot: StoredSnapshot;
  vars: Record<string, unknown>;
  version: number;
}

/** An inbox event not yet applied to its run. */
export interface InboxEvent {
  id: string;
  idempotencyKey: string;
  payload: { event: { type: string; [k: string]: unknown } };
}

/** Where an inbox event came from. */
export type InboxKind = 'inbound_sms' | 'delivery_status' | 'payment' | 'timer' | 'api';

/** A `runs` row as the engine reads it. */
export const runFromRow = (r: Record<string, unknown>): RunRow => ({
  id: r.id as string,
  flowVersionId: r.flow_version_id as string,
  contactId: r.contact_id as string,
  status: r.status as RunRow['status'],
  snapshot: r.snapshot as StoredSnapshot,
  vars: r.vars as Record<string, unknown>,
  version: r.version as number,
});

/** Runs and their inbox (run_events), over a pool or a transaction's client. */
export function runRepository(db: Queryable) {
  return {
    /** The run, locked for this transaction (one step at a time per run). */
    async lockRun(id: string): Promise<RunRow | undefined> {
      const { rows } = await db.query('select * from runs where id = $1 for update', [id]);
      return rows[0] ? runFromRow(rows[0]) : undefined;
    },

    async getRun(id: string): Promise<RunRow | undefined> {
      const { rows } = await db.query('select * from runs where id = $1', [id]);
      return rows[0] ? runFromRow(rows[0]) : undefined;
    },

    /**
     * Stores a step's snapshot; the row's version goes up by one (trigger).
     * A run it ends gets its `run.finished` outbound webhook event, committed
     * with it (`atomically`).
     */
    async saveStep(id: string, snapshot: object, status: RunRow['status'], stopReason?: string): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<{ contact_id: string; ended: boolean }>(
          `with before as (select status from runs where id = $1 for update)
         update runs r set snapshot = $2, status = $3, stop_reason = coalesce($4, stop_reason),
           ended_at = case when $3 = 'active' then null else coalesce(ended_at, now()) end
         from before b where r.id = $1
         returning r.contact_id, (b.status = 'active' and r.status <> 'active') as ended`,
          [id, JSON.stringify(snapshot), status, stopReason ?? null],
        );
        if (rows[0]?.ended) await recordOutboundEvents(q, [runFinishedEvent(id, rows[0].contact_id, status)]);
      });
    },

    /** Ends every active run of a contact (STOP), each with its `run.finished` outbound webhook event (all or none); returns their ids. */
    async stopActiveRuns(contactId: string, reason: string): Promise<string[]> {
      return atomically(db, async (q) => {
        const { rows } = await q.query(
          `update runs set status = 'stopped', stop_reason = $2, ended_at = now() where contact_id = $1 and status = 'active' returning id`,
          [contactId, reason],
        );
        const ids = rows.map((r) => r.id as string);
        await recordOutboundEvents(
          q,
          ids.map((id) => runFinishedEvent(id, contactId, 'stopped')),
        );
        return ids;
      });
    },

    async activeRunsOf(contactId: string): Promise<RunRow[]> {
      const { rows } = await db.query(`select * from runs where contact_id = $1 and status = 'active' order by created_at`, [contactId]);
      return rows.map(runFromRow);
    },

    /** Puts an event in the inbox; false when its idempotency key was seen before (a retried webhook). */
    async addInboxEvent(e: { key: string; kind: InboxKind; runId?: string; contactId?: string; event: object }): Promise<boolean> {
      const { rowCount } = await db.query(
        `insert into run_events (idempotency_key, kind, run_id, contact_id, payload) values ($1, $2, $3, $4, $5)
         on conflict (idempotency_key) do nothing`,
        [e.key, e.kind, e.runId ?? null, e.contactId ?? null, JSON.stringify({ event: e.event })],
      );
      return rowCount === 1;
    },

    /** Marks an inbox event processed, with what came of it. */
    async markInboxEventProcessed(key: string, outcome: string): Promise<void> {
      await db.query(`update run_events set processed_at = now(), outcome = $2 where idempotency_key = $1`, [key, outcome]);
    },

    /**
     * Puts events in their runs' inboxes (once per key) and locks the runs
     * named, in one statement. The runs are locked in id order, so batches
     * in other processes that lock some of the same runs cannot deadlock with
     * this one. Returns the keys that were new and the runs that exist.
     */
    async addInboxEventsAndLockRuns(
      events: readonly { key: string; kind: InboxKind; runId: string; event: object }[],
      runIds: readonly string[],
    ): Promise<{ added: Set<string>; runs: RunRow[] }> {
      const { rows } = await db.query(
        `with added as (
           insert into run_events (idempotency_key, kind, run_id, payload)
           select * from unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[])
           on conflict (idempotency_key) do nothing returning idempotency_key, run_id),
         locked as (select * from runs where id = any($5::uuid[]) order by id for update)
         select coalesce((select array_agg(a.idempotency_key) from added a where a.run_id = l.id), '{}') as added_keys, l.* from locked l`,
        [
          events.map((e) => e.key),
          events.map((e) => e.kind),
          events.map((e) => e.runId),
          events.map((e) => JSON.stringify({ event: e.event })),
          [...new Set(runIds)],
        ],
      );
      // Each run's row carries the keys added for it (every event's run exists: run_events references runs).
      return { added: new Set(rows.flatMap((r) => r.added_keys as string[])), runs: rows.map(runFromRow) };
    },

    /** The unprocessed inbox events of these runs, in order, by run. */
    async unprocessedEventsOf(runIds: readonly string[]): Promise<Map<string, InboxEvent[]>> {
      const { rows } = await db.query(
        'select id, run_id, idempotency_key, payload from run_events where run_id = any($1::uuid[]) and processed_at is null order by run_id, id',
        [runIds],
      );
      const byRun = new Map<string, InboxEvent[]>();
      for (const r of rows) {
        const list = byRun.get(r.run_id as string) ?? [];
        list.push({ id: String(r.id), idempotencyKey: r.idempotency_key as string, payload: r.payload as InboxEvent['payload'] });
        byRun.set(r.run_id as string, list);
      }
      return byRun;
    },
  };
}

export type RunRepository = ReturnType<typeof runRepository>;
