import type { ContactKeys } from './contact-repository';
import type { Queryable } from './queryable';

/**
 * Read-only queries for the runs screens and the dashboard: the runs list,
 * a run's timeline and path, and the per-flow funnel. Nothing here writes.
 * Card data and payment tokens are never stored; verification codes and
 * answers only as keyed hashes, which no query here selects.
 */

export type RunStatus = 'active' | 'done' | 'error' | 'stopped';

export interface RunListFilter {
  status?: RunStatus[];
  flowId?: string;
  contactId?: string;
  /** Runs started at or after this instant. */
  from?: Date;
  /** Runs started before this instant. */
  to?: Date;
  /** From a previous page's `nextCursor`. */
  cursor?: RunCursor;
  limit: number;
}

/** A position in the list: the start time in microseconds since the epoch (Postgres' precision) and the run id. */
export interface RunCursor {
  startedMicros: string;
  id: string;
}

export interface RunListRow {
  id: string;
  flowId: string;
  flowName: string;
  version: number;
  contactId: string;
  /** E.164, null once the contact is erased (mask before showing). */
  phone: string | null;
  name: string | null;
  status: RunStatus;
  node: string | null;
  stopReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

// The node a stored snapshot is at: its value, or the one key of `{ nodeId: subState }`.
const NODE_OF_SNAPSHOT = `case jsonb_typeof(r.snapshot->'value')
  when 'string' then r.snapshot->>'value'
  when 'object' then (select k from jsonb_object_keys(r.snapshot->'value') k limit 1)
end`;

/** Decrypts a contact's field (name, ZIP) as contact-repository.ts sealed it (bound to table, column and row). */
function openField(keys: ContactKeys, column: 'name_enc' | 'zip_enc', contactId: string, value: Buffer | null): string | null {
  return value === null ? null : keys.cipher.decrypt(value, `contacts.${column}:${contactId}`);
}

/** The runs screens' and the dashboard's queries, over a pool or a transaction's client. */
export function runQueries(db: Queryable, keys: ContactKeys) {
  return {
    /** Runs newest first, filtered; one more row than `limit` is read to know whether there is a next page. */
    async listRuns(filter: RunListFilter): Promise<{ rows: RunListRow[]; nextCursor: RunCursor | null }> {
      const { rows } = await db.query(
        `select r.id, v.flow_id, f.name as flow_name, v.version, r.contact_id, c.phone_e164, c.name_enc, r.status,
           ${NODE_OF_SNAPSHOT} as node, r.stop_reason, r.created_at, r.ended_at,
           ((extract(epoch from r.created_at) * 1000000)::bigint)::text as started_micros
         from runs r
         join flow_versions v on v.id = r.flow_version_id
         join flows f on f.id = v.flow_id
         join contacts c on c.id = r.contact_id
         where ($1::text[] is null or r.status = any($1))
           and ($2::text is null or v.flow_id = $2)
           and ($3::uuid is null or r.contact_id = $3)
           and ($4::timestamptz is null or r.created_at >= $4)
           and ($5::timestamptz is null or r.created_at < $5)
           and ($6::bigint is null or (r.created_at, r.id) < (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::uuid))
         order by r.created_at desc, r.id desc
         limit $8`,
        [
          filter.status?.length ? filter.status : null,
          filter.flowId ?? null,
          filter.contactId ?? null,
          filter.from ?? null,
          filter.to ?? null,
          filter.cursor?.startedMicros ?? null,
          filter.cursor?.id ?? null,
          filter.limit + 1,
        ],
      );
      const page = rows.slice(0, filter.limit);
      const last = page.at(-1);
      return {
        rows: page.map((r) => ({
          id: r.id,
          flowId: r.flow_id,
          flowName: r.flow_name,
          version: r.version,
          contactId: r.contact_id,
          phone: r.phone_e164,
          name: openField(keys, 'name_enc', r.contact_id, r.name_enc),
          status: r.status,
          node: r.node,
          stopReason: r.stop_reason,
          startedAt: r.created_at,
          endedAt: r.ended_at,
        })),
        nextCursor: rows.length > filter.limit && last ? { startedMicros: last.started_micros, id: last.id } : null,
      };
    },

    /** A run with its flow version's document and its contact, or undefined. */
    async runDetail(runId: string): Promise<RunDetail | undefined> {
      const { rows } = await db.query(
        `select r.id, r.status, r.stop_reason, r.created_at, r.ended_at, ${NODE_OF_SNAPSHOT} as node,
           v.id as version_id, v.flow_id, v.version, v.content, f.name as flow_name,
           c.id as contact_id, c.phone_e164, c.name_enc, c.zone, c.zip_enc
         from runs r join flow_versions v on v.id = r.flow_version_id join flows f on f.id = v.flow_id join contacts c on c.id = r.contact_id
         where r.id = $1`,
        [runId],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        id: r.id,
        status: r.status,
        stopReason: r.stop_reason,
        startedAt: r.created_at,
        endedAt: r.ended_at,
        node: r.node,
        flowVersionId: r.version_id,
        flowId: r.flow_id,
        flowName: r.flow_name,
        version: r.version,
        content: r.content,
        contactId: r.contact_id,
        phone: r.phone_e164,
        name: openField(keys, 'name_enc', r.contact_id, r.name_enc),
        zone: r.zone,
        zip: openField(keys, 'zip_enc', r.contact_id, r.zip_enc),
      };
    },

    /** The moves the run made from node to node, in order. */
    async moves(runId: string): Promise<RunMove[]> {
      const { rows } = await db.query(
        `select step, seq, event_type, from_node, to_node, at from run_steps where run_id = $1 order by step, seq`,
        [runId],
      );
      return rows.map((r) => ({ step: r.step, seq: r.seq, event: r.event_type, from: r.from_node, to: r.to_node, at: r.at }));
    },

    /**
     * The run's inbox events. `at` is when the step that applied the event
     * happened (the engine's clock, like the messages' times), else when it
     * was received.
     */
    async events(runId: string): Promise<RunEventRow[]> {
      const { rows } = await db.query(
        `select e.id, e.kind, e.payload->'event' as event, e.received_at, e.processed_at, e.outcome,
           coalesce((select min(s.at) from run_steps s where s.run_id = e.run_id and s.event_id = e.id), e.received_at) as at
         from run_events e where e.run_id = $1 order by e.id`,
        [runId],
      );
      return rows.map((r) => ({
        id: String(r.id),
        kind: r.kind,
        event: (r.event ?? {}) as RunEventRow['event'],
        receivedAt: r.received_at,
        processedAt: r.processed_at,
        outcome: r.outcome,
        at: r.at,
      }));
    },

    /** The run's texts (as stored: secrets masked) with every delivery status they had, and their guard deferrals. */
    async messages(runId: string): Promise<RunMessageRow[]> {
      const { rows } = await db.query(
        `select m.id, m.effect_id, m.direction, m.purpose, m.body, m.status, m.error, m.created_at, m.sent_at,
           coalesce((select jsonb_agg(jsonb_build_object('status', h.status, 'error', h.error, 'at', h.at) order by h.id)
                     from message_status_changes h where h.message_id = m.id), '[]'::jsonb) as history
         from messages m where m.run_id = $1 order by m.created_at, m.id`,
        [runId],
      );
      return rows.map((r) => ({
        id: r.id,
        effectId: r.effect_id,
        direction: r.direction,
        purpose: r.purpose,
        body: r.body,
        status: r.status,
        error: r.error,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        history: (r.history as { status: string; error: string | null; at: string }[]).map((h) => ({
          status: h.status,
          error: h.error,
          at: new Date(h.at),
        })),
      }));
    },

    /** Sends of the run the guard held back: until when and why. */
    async deferrals(runId: string): Promise<{ effectId: string; until: Date; reason: string; at: Date }[]> {
      const { rows } = await db.query(
        'select effect_id, until, reason, decided_at from send_deferrals where run_id = $1 order by decided_at, id',
        [runId],
      );
      return rows.map((r) => ({ effectId: r.effect_id, until: r.until, reason: r.reason, at: r.decided_at }));
    },

    /** The run's payment links: status, amount and card checks (never the token, which is not stored, nor its hash). */
    async payments(runId: string): Promise<RunPaymentRow[]> {
      const { rows } = await db.query(
        `select id, node_id, status, amount_minor::text, currency, description, failure_reason, verification->'cardChecks' as card_checks, created_at, expires_at, paid_at
         from payments where run_id = $1 order by created_at, id`,
        [runId],
      );
      return rows.map((r) => ({
        id: r.id,
        nodeId: r.node_id,
        status: r.status,
        amountMinor: Number(r.amount_minor),
        currency: r.currency,
        description: r.description,
        failureReason: r.failure_reason,
        cardChecks: r.card_checks ?? null,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
        paidAt: r.paid_at,
      }));
    },

    /**
     * The run's identity checks: method, status and attempts left (never the
     * code or the answer's hash). `at` is when its question was claimed (the
     * engine's clock) where there is one; `decidedAt` when the run left the
     * check's node after it (the step's time), null while it waits.
     */
    async verifications(runId: string): Promise<RunVerificationRow[]> {
      const { rows } = await db.query(
        `select v.id, v.node_id, v.method, v.status, v.attempts_left, v.updated_at, q.at,
           (select min(s.at) from run_steps s
             where s.run_id = v.run_id and s.from_node = v.node_id and s.to_node <> v.node_id and s.at >= q.at) as decided_at
         from verifications v
         cross join lateral (select coalesce((select m.created_at from messages m where m.effect_id = v.effect_id), v.created_at) as at) q
         where v.run_id = $1 order by v.created_at, v.id`,
        [runId],
      );
      return rows.map((r) => ({
        id: r.id,
        nodeId: r.node_id,
        method: r.method,
        status: r.status,
        attemptsLeft: r.attempts_left,
        at: r.at,
        decidedAt: r.decided_at,
        updatedAt: r.updated_at,
      }));
    },
  };
}

/** The dashboard's queries: counts and sums over runs, no contact data. */
export function dashboardQueries(db: Queryable) {
  return {
    /**
     * The funnel of every flow with runs started in [from, to): how many runs
     * started, had a text delivered (reported so, or answered: a reply is
     * proof the text arrived), got a reply (STOP included), were
     * stopped by STOP, verified the contact's identity, and were paid; and
     * the amounts paid, per currency. Two statements, each one pass over the
     * range's runs (index `runs_by_start`) with index look-ups by run.
     */
    async funnel(range: { from: Date; to: Date }): Promise<FlowFunnel[]> {
      const stages = await db.query(
        `select v.flow_id, f.name,
           count(*)::int as enrolled,
           count(*) filter (where exists (select 1 from messages m where m.run_id = r.id and m.status = 'delivered')
             or r.stop_reason = 'STOP' or exists (select 1 from run_events e where e.run_id = r.id and e.kind = 'inbound_sms'))::int as delivered,
           count(*) filter (where r.stop_reason = 'STOP' or exists (select 1 from run_events e where e.run_id = r.id and e.kind = 'inbound_sms'))::int as replied,
           count(*) filter (where r.stop_reason = 'STOP')::int as opted_out,
           count(*) filter (where exists (select 1 from verifications x where x.run_id = r.id and x.status = 'verified'))::int as verified,
           count(*) filter (where exists (select 1 from payments p where p.run_id = r.id and p.status = 'paid'))::int as paid
         from runs r join flow_versions v on v.id = r.flow_version_id join flows f on f.id = v.flow_id
         where r.created_at >= $1 and r.created_at < $2
         group by v.flow_id, f.name
         order by f.name, v.flow_id`,
        [range.from, range.to],
      );
      const amounts = await db.query(
        `select v.flow_id, p.currency, sum(p.amount_minor)::text as amount_minor
         from runs r join flow_versions v on v.id = r.flow_version_id join payments p on p.run_id = r.id
         where r.created_at >= $1 and r.created_at < $2 and p.status = 'paid'
         group by v.flow_id, p.currency
         order by p.currency`,
        [range.from, range.to],
      );
      return stages.rows.map((s) => ({
        flowId: s.flow_id,
        flowName: s.name,
        enrolled: s.enrolled,
        delivered: s.delivered,
        replied: s.replied,
        optedOut: s.opted_out,
        verified: s.verified,
        paid: s.paid,
        collected: amounts.rows
          .filter((a) => a.flow_id === s.flow_id)
          .map((a) => ({ currency: a.currency as string, amountMinor: Number(a.amount_minor) })),
      }));
    },
  };
}

export interface RunDetail {
  id: string;
  status: RunStatus;
  stopReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
  node: string | null;
  flowVersionId: string;
  flowId: string;
  flowName: string;
  version: number;
  content: unknown;
  contactId: string;
  phone: string | null;
  name: string | null;
  /** The contact's stored zone and ZIP: where the runtime's sending windows are reckoned. */
  zone: string | null;
  zip: string | null;
}

export interface RunMove {
  step: number;
  seq: number;
  event: string;
  from: string | null;
  to: string;
  at: Date;
}

export interface RunEventRow {
  id: string;
  kind: 'inbound_sms' | 'delivery_status' | 'payment' | 'timer' | 'api';
  event: { type?: string; [k: string]: unknown };
  receivedAt: Date;
  processedAt: Date | null;
  outcome: string | null;
  at: Date;
}

export interface RunMessageRow {
  id: string;
  effectId: string | null;
  direction: 'inbound' | 'outbound';
  purpose: 'informational' | 'marketing' | null;
  body: string;
  status: string;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
  history: { status: string; error: string | null; at: Date }[];
}

export interface RunPaymentRow {
  id: string;
  nodeId: string | null;
  status: string;
  amountMinor: number;
  currency: string;
  description: string;
  failureReason: string | null;
  cardChecks: Record<string, string> | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
}

export interface RunVerificationRow {
  id: string;
  nodeId: string;
  method: 'otp' | 'zip' | 'dob';
  status: string;
  attemptsLeft: number;
  at: Date;
  decidedAt: Date | null;
  updatedAt: Date;
}

export interface FlowFunnel {
  flowId: string;
  flowName: string;
  enrolled: number;
  delivered: number;
  replied: number;
  optedOut: number;
  verified: number;
  paid: number;
  collected: { currency: string; amountMinor: number }[];
}
