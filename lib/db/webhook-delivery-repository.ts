import type { OutboundEventType } from '@/lib/outbound-events/event-types';
import { DELIVER_WEBHOOKS_TASK, deliveryJobKey } from './outbound-event-repository';
import { addJob } from './job-queue';
import type { Queryable } from './queryable';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one endpoint, as the delivery log shows it. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: OutboundEventType;
  orderKey: string;
  status: DeliveryStatus;
  attempts: number;
  /** When a pending delivery is tried next; null once it is over, and for a pending one not tried yet (due at once). */
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A claimed delivery with what its request needs (the phone only where its endpoint may have it). */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  type: OutboundEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
  contactPhone: string | null;
  attempts: number;
  firstAttemptAt: Date | null;
}

/** What the head of a chain looks like to a worker. */
export type HeadClaim =
  | { kind: 'off' }
  | { kind: 'none' }
  | { kind: 'busy' }
  | { kind: 'not-due'; at: Date }
  | { kind: 'claimed'; endpoint: { url: string; secretCiphertext: Buffer }; delivery: ClaimedDelivery };

interface Row {
  id: string;
  endpoint_id: string;
  event_id: string;
  type: OutboundEventType;
  order_key: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const toDelivery = (r: Row): WebhookDelivery => ({
  id: r.id,
  endpointId: r.endpoint_id,
  eventId: r.event_id,
  eventType: r.type,
  orderKey: r.order_key,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  lastAttemptAt: r.last_attempt_at,
  lastStatusCode: r.last_status_code,
  lastLatencyMs: r.last_latency_ms,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

const LOG_COLUMNS = `d.id, d.endpoint_id, d.event_id, e.type, d.order_key, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at,
  d.last_status_code, d.last_latency_ms, d.last_error, d.delivered_at, d.created_at`;

/** A try's result, recorded with the delivery's new state. */
export interface AttemptRecord {
  deliveryId: string;
  at: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
  /** For `retry`: when. */
  nextAttemptAt: Date | null;
}

/** Deliveries of outbound webhooks and their tries (`webhook_deliveries`, `webhook_delivery_attempts`). */
export function webhookDeliveryRepository(db: Queryable) {
  return {
    /**
     * Takes the oldest pending delivery of an endpoint's chain for `leaseMs`
     * if the endpoint is on, the delivery is due at `now` and nobody holds
     * it: one try at a time per chain, in order. One statement, answering
     * with everything the request needs (the endpoint's URL and sealed
     * secret as they are now; the contact's phone only where the endpoint
     * may have it). Says why not otherwise.
     */
    async claimHead(endpointId: string, orderKey: string, now: Date, leaseMs: number): Promise<HeadClaim> {
      const { rows } = await db.query<{
        id: string | null;
        next_attempt_at: Date | null;
        claimed: boolean;
        busy: boolean;
        enabled: boolean;
        url: string;
        include_phone: boolean;
        secret_ciphertext: Buffer;
        event_id: string;
        type: OutboundEventType;
        occurred_at: Date;
        payload: Record<string, unknown>;
        phone_e164: string | null;
        attempts: number;
        first_attempt_at: Date | null;
      }>(
        `with endpoint as (select id, enabled, url, include_phone, secret_ciphertext from webhook_endpoints where id = $1),
         head as (
           select d.id, d.lease_until, d.next_attempt_at, d.event_id, d.attempts, d.first_attempt_at from webhook_deliveries d
           where d.endpoint_id = $1 and d.order_key = $2 and d.status = 'pending' and (select enabled from endpoint)
           order by d.seq limit 1 for update),
         claimed as (
           update webhook_deliveries d set lease_until = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
           from head h where d.id = h.id and (h.lease_until is null or h.lease_until <= $3) and (h.next_attempt_at is null or h.next_attempt_at <= $3)
           returning d.id)
         select h.id, h.next_attempt_at, exists (select 1 from claimed) as claimed,
           coalesce(h.lease_until > $3, false) as busy, w.enabled, w.url, w.include_phone, w.secret_ciphertext,
           h.event_id, e.type, e.occurred_at, e.payload, h.attempts, h.first_attempt_at,
           case when w.include_phone then (select c.phone_e164 from contacts c where c.id = e.contact_id and c.erased_at is null) end as phone_e164
         from endpoint w left join head h on true left join webhook_events e on e.id = h.event_id`,
        [endpointId, orderKey, now, leaseMs],
      );
      const r = rows[0];
      if (!r || !r.enabled) return { kind: 'off' };
      if (!r.id) return { kind: 'none' };
      if (r.claimed) {
        return {
          kind: 'claimed',
          endpoint: { url: r.url, secretCiphertext: r.secret_ciphertext },
          delivery: {
            id: r.id,
            eventId: r.event_id,
            type: r.type,
            occurredAt: r.occurred_at,
            data: r.payload,
            contactPhone: r.phone_e164,
            attempts: r.attempts,
            firstAttemptAt: r.first_attempt_at,
          },
        };
      }
      if (r.busy) return { kind: 'busy' };
      return { kind: 'not-due', at: r.next_attempt_at! };
    },

    /** Stores a try and the delivery's new state in one statement, releasing its lease. */
    async recordAttempt(a: AttemptRecord): Promise<void> {
      await db.query(
        `with d as (
           update webhook_deliveries set
             attempts = attempts + 1,
             status = case $7 when 'delivered' then 'delivered' when 'failed' then 'failed' else 'pending' end,
             next_attempt_at = case when $7 = 'retry' then $6 else next_attempt_at end,
             first_attempt_at = coalesce(first_attempt_at, $2),
             last_attempt_at = $2, last_status_code = $3, last_latency_ms = $4, last_error = left($5, 500),
             delivered_at = case when $7 = 'delivered' then $2 else delivered_at end,
             lease_until = null
           where id = $1 returning id, attempts)
         insert into webhook_delivery_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error, next_attempt_at)
         select d.id, d.attempts, $2, $3, $4, left($5, 500), case when $7 = 'retry' then $6::timestamptz end from d`,
        [a.deliveryId, a.at, a.statusCode, Math.max(0, Math.round(a.latencyMs)), a.error, a.nextAttemptAt, a.outcome],
      );
    },

    /** Releases a claim without a try (the endpoint went away or was switched off meanwhile). */
    async release(deliveryId: string): Promise<void> {
      await db.query(`update webhook_deliveries set lease_until = null where id = $1`, [deliveryId]);
    },

    /** An endpoint's deliveries, newest first, with the event type (the delivery log). */
    async log(endpointId: string, options: { limit: number; status?: DeliveryStatus }): Promise<WebhookDelivery[]> {
      const { rows } = await db.query<Row>(
        `select ${LOG_COLUMNS} from webhook_deliveries d join webhook_events e on e.id = d.event_id
         where d.endpoint_id = $1 and ($3::text is null or d.status = $3)
         order by d.created_at desc, d.seq desc limit $2`,
        [endpointId, options.limit, options.status ?? null],
      );
      return rows.map(toDelivery);
    },

    /** Every try of a delivery, in order. */
    async attempts(deliveryId: string) {
      const { rows } = await db.query<{
        attempt: number;
        attempted_at: Date;
        status_code: number | null;
        latency_ms: number;
        error: string | null;
        next_attempt_at: Date | null;
      }>(
        `select attempt, attempted_at, status_code, latency_ms, error, next_attempt_at from webhook_delivery_attempts
         where delivery_id = $1 order by attempt`,
        [deliveryId],
      );
      return rows.map((r) => ({
        attempt: r.attempt,
        attemptedAt: r.attempted_at,
        statusCode: r.status_code,
        latencyMs: r.latency_ms,
        error: r.error,
        nextAttemptAt: r.next_attempt_at,
      }));
    },

    /**
     * Queues the event of one of the endpoint's deliveries again, as a new
     * delivery in a chain of its own (the same `webhook-id`: receivers
     * dedupe by it), with its job. Null when the endpoint has no such delivery.
     */
    async redeliver(endpointId: string, deliveryId: string): Promise<WebhookDelivery | null> {
      const { rows } = await db.query<Row>(
        `with fresh as (select gen_random_uuid() as id),
         copied as (
           insert into webhook_deliveries (id, endpoint_id, event_id, order_key, seq)
           select f.id, d.endpoint_id, d.event_id, 'redelivery:' || f.id::text, d.seq
           from webhook_deliveries d, fresh f where d.id = $2 and d.endpoint_id = $1
           returning *)
         select c.id, c.endpoint_id, c.event_id, e.type, c.order_key, c.status, c.attempts, c.next_attempt_at, c.last_attempt_at,
           c.last_status_code, c.last_latency_ms, c.last_error, c.delivered_at, c.created_at
         from copied c join webhook_events e on e.id = c.event_id`,
        [endpointId, deliveryId],
      );
      const row = rows[0];
      if (!row) return null;
      await scheduleChain(db, endpointId, row.order_key, 0);
      return toDelivery(row);
    },

    /** Adds the job of every chain of the endpoint with pending deliveries (after it is enabled again). */
    async resumeChains(endpointId: string): Promise<number> {
      const { rows } = await db.query<{ order_key: string }>(
        `select distinct order_key from webhook_deliveries where endpoint_id = $1 and status = 'pending'`,
        [endpointId],
      );
      for (const r of rows) await scheduleChain(db, endpointId, r.order_key, 0);
      return rows.length;
    },

    /** Deliveries by status for an endpoint (the settings list's counts). */
    async counts(endpointIds: readonly string[]): Promise<Map<string, Record<DeliveryStatus, number>>> {
      const { rows } = await db.query<{ endpoint_id: string; status: DeliveryStatus; n: string }>(
        `select endpoint_id, status, count(*) as n from webhook_deliveries where endpoint_id = any ($1::uuid[]) group by 1, 2`,
        [endpointIds],
      );
      const out = new Map<string, Record<DeliveryStatus, number>>();
      for (const id of endpointIds) out.set(id, { pending: 0, delivered: 0, failed: 0 });
      for (const r of rows) out.get(r.endpoint_id)![r.status] = Number(r.n);
      return out;
    },
  };
}

/**
 * The chain's job, `delayMs` from the database's now. Keyed: by default it
 * moves the waiting job to that time (the chain waits for its head's next
 * try); with `keepEarlier`, a job already waiting keeps its (earlier) time.
 */
export async function scheduleChain(
  db: Queryable,
  endpointId: string,
  orderKey: string,
  delayMs: number,
  options: { keepEarlier?: boolean } = {},
): Promise<void> {
  await addJob(
    db,
    DELIVER_WEBHOOKS_TASK,
    { endpointId, orderKey },
    { key: deliveryJobKey(endpointId, orderKey), delayMs, keyMode: options.keepEarlier ? 'preserve_run_at' : 'replace' },
  );
}
