import type { Queryable } from './queryable';

/** A run row: one contact in one flow version. */
export interface RunRow {
  id: string;
  flowVersionId: string;
  contactId: string;
  status: 'active' | 'done' | 'error' | 'stopped';
  snapshot: Record<string, unknown>;
  vars: Record<string, unknown>;
  version: number;
}

/** An inbox event not yet applied to its run. */
export interface InboxEvent {
  id: string;
  idempotencyKey: string;
  payload: { event: { type: string; [k: string]: unknown } };
}

type InboxKind = 'inbound_sms' | 'delivery_status' | 'payment' | 'timer' | 'api';

const toRun = (r: Record<string, unknown>): RunRow => ({
  id: r.id as string,
  flowVersionId: r.flow_version_id as string,
  contactId: r.contact_id as string,
  status: r.status as RunRow['status'],
  snapshot: r.snapshot as Record<string, unknown>,
  vars: r.vars as Record<string, unknown>,
  version: r.version as number,
});

/** Runs and their inbox (run_events), over a pool or a transaction's client. */
export function runRepository(db: Queryable) {
  return {
    async insertRun(run: { id: string; flowVersionId: string; contactId: string; snapshot: object; vars: object }): Promise<void> {
      await db.query('insert into runs (id, flow_version_id, contact_id, snapshot, vars) values ($1, $2, $3, $4, $5)', [
        run.id, run.flowVersionId, run.contactId, JSON.stringify(run.snapshot), JSON.stringify(run.vars),
      ]);
    },

    /** The run, locked for this transaction (one step at a time per run). */
    async lockRun(id: string): Promise<RunRow | undefined> {
      const { rows } = await db.query('select * from runs where id = $1 for update', [id]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async getRun(id: string): Promise<RunRow | undefined> {
      const { rows } = await db.query('select * from runs where id = $1', [id]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    /** Stores a step's snapshot; the row's version goes up by one (trigger). */
    async saveStep(id: string, snapshot: object, status: RunRow['status'], stopReason?: string): Promise<void> {
      await db.query(
        `update runs set snapshot = $2, status = $3, stop_reason = coalesce($4, stop_reason),
           ended_at = case when $3 = 'active' then null else coalesce(ended_at, now()) end
         where id = $1`,
        [id, JSON.stringify(snapshot), status, stopReason ?? null],
      );
    },

    /** Ends every active run of a contact (STOP); returns their ids. */
    async stopActiveRuns(contactId: string, reason: string): Promise<string[]> {
      const { rows } = await db.query(
        `update runs set status = 'stopped', stop_reason = $2, ended_at = now() where contact_id = $1 and status = 'active' returning id`,
        [contactId, reason],
      );
      return rows.map((r) => r.id as string);
    },

    async activeRunsOf(contactId: string): Promise<RunRow[]> {
      const { rows } = await db.query(`select * from runs where contact_id = $1 and status = 'active' order by created_at`, [contactId]);
      return rows.map(toRun);
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

    /**
     * Puts an event in the inbox and locks its run, in one statement (a
     * worker applies the event at once after). `added` is false when the key
     * was seen before; the run is undefined when there is no such run.
     */
    async addInboxEventAndLockRun(e: { key: string; kind: InboxKind; runId: string; event: object }): Promise<{ added: boolean; run: RunRow | undefined }> {
      const { rows } = await db.query(
        `with added as (
           insert into run_events (idempotency_key, kind, run_id, payload) values ($1, $2, $3, $4)
           on conflict (idempotency_key) do nothing returning id)
         select (select count(*) from added)::int as added, r.* from (select 1) one left join lateral (select * from runs where id = $3 for update) r on true`,
        [e.key, e.kind, e.runId, JSON.stringify({ event: e.event })],
      );
      const row = rows[0]!;
      return { added: row.added === 1, run: row.id ? toRun(row) : undefined };
    },

    /**
     * Stores a step applied from an inbox event, in one statement: the run's
     * snapshot (its version goes up by one, trigger), the event marked
     * processed, and the step's moves (as `runStepRepository.recordMoves`).
     */
    async storeAppliedStep(input: { runId: string; snapshot: object; status: RunRow['status']; eventId: string; step: number; moves: readonly { from: string | null; to: string; event: string }[]; at: Date }): Promise<void> {
      await db.query(
        `with processed as (update run_events set processed_at = now(), outcome = 'applied' where id = $4),
           moves as (
             insert into run_steps (run_id, step, seq, event_id, event_type, from_node, to_node, at)
             select $1, $5, m.n - 1, $4, m.event, m.from_node, m.to_node, $9
             from unnest($6::text[], $7::text[], $8::text[]) with ordinality as m(event, from_node, to_node, n)
             on conflict (run_id, step, seq) do nothing)
         update runs set snapshot = $2, status = $3,
           ended_at = case when $3 = 'active' then null else coalesce(ended_at, now()) end
         where id = $1`,
        [input.runId, JSON.stringify(input.snapshot), input.status, input.eventId, input.step,
          input.moves.map((m) => m.event), input.moves.map((m) => m.from), input.moves.map((m) => m.to), input.at],
      );
    },

    async unprocessedEvents(runId: string): Promise<InboxEvent[]> {
      const { rows } = await db.query(
        'select id, idempotency_key, payload from run_events where run_id = $1 and processed_at is null order by id',
        [runId],
      );
      return rows.map((r) => ({ id: String(r.id), idempotencyKey: r.idempotency_key as string, payload: r.payload as InboxEvent['payload'] }));
    },

    async markProcessed(eventId: string, outcome: string): Promise<void> {
      await db.query('update run_events set processed_at = now(), outcome = $2 where id = $1', [eventId, outcome]);
    },
  };
}

export type RunRepository = ReturnType<typeof runRepository>;
