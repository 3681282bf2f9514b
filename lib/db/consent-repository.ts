import { createHash } from 'node:crypto';
import { consentLevelOf, type ConsentLevel, type Purpose } from '@/lib/compliance/types';
import { recordOutboundEvents } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';
import { sqlFilter } from './sql-filter';

/**
 * The consent ledger (table `consent_events`): append-only, one global hash
 * chain computed by the database in the inserting transaction (see the
 * migration `*_consent_events.sql`). An append holds the chain head's row
 * lock until its transaction ends: append last in a transaction, keep it short.
 */

export type ConsentSource = 'import' | 'keyword' | 'reply' | 'web_form' | 'api';
export type ConsentChannel = 'sms' | 'web' | 'voice' | 'paper' | 'email' | 'api';

interface Evidence {
  contactId: string;
  source: ConsentSource;
  channel: ConsentChannel;
  /** The exact text the person saw (required for a marketing grant). */
  textShown?: string;
  /** The exact words they sent (required for `keyword` and `reply`). */
  reply?: string;
  /** The outside record it came from: a MessageSid, an import file, a form URL. */
  sourceRef?: string;
  runId?: string;
  /** Further evidence (IP address, user agent, signed document id). */
  details?: Record<string, unknown>;
  /** Who recorded it: a user id, or `system`. */
  recordedBy: string;
  /** When the person gave or withdrew consent. */
  occurredAt: Date;
}

/** A grant is for one purpose; a revocation always covers every purpose. */
export type NewConsentEvent = Evidence & ({ action: 'grant'; purpose: Purpose } | { action: 'revoke' });

export interface ConsentEvent {
  /** Position in the chain: 1, 2, 3, … */
  id: number;
  contactId: string;
  action: 'grant' | 'revoke';
  purpose: Purpose | 'all';
  source: ConsentSource;
  channel: ConsentChannel;
  textShown: string | null;
  reply: string | null;
  sourceRef: string | null;
  runId: string | null;
  details: Record<string, unknown>;
  recordedBy: string;
  occurredAt: Date;
  recordedAt: Date;
  prevHash: string;
  hash: string;
}

export type LedgerVerdict = { ok: true; count: number } | { ok: false; firstBrokenId: number; reason: string };

export interface ConsentRepository {
  /**
   * Appends an event; the database assigns its id, recorded_at and chain
   * hash. Its outbound webhook event commits with it (`atomically`).
   */
  appendConsentEvent(event: NewConsentEvent): Promise<ConsentEvent>;
  /** A contact's events in the order they occurred. */
  listConsentEvents(contactId: string): Promise<ConsentEvent[]>;
  /** The contact's consent now, per the ledger. */
  currentConsent(contactId: string): Promise<ConsentLevel>;
  /** The consent of several contacts, in one statement (as `currentConsent` for each). */
  currentConsentOf(contactIds: readonly string[]): Promise<Map<string, ConsentLevel>>;
  /** Walks the whole chain, recomputing every hash; names the first row that does not fit. */
  verifyLedger(): Promise<LedgerVerdict>;
  /**
   * Appends many events in a few statements, in the order given, with their
   * outbound webhook events: all or none (`atomically`). Returns how many.
   */
  appendConsentEvents(events: readonly NewConsentEvent[]): Promise<number>;
  /** Events across every contact, newest first (by chain position), filtered. */
  listLedger(filter?: LedgerFilter): Promise<ConsentEvent[]>;
  /** Events after chain position `afterId` up to `throughId`, oldest first (for an export read in batches). */
  ledgerAfter(afterId: number, limit: number, filter?: { contactId?: string; throughId?: number }): Promise<ConsentEvent[]>;
  /** The chain position of the last event (0 when the ledger is empty). */
  lastEventId(): Promise<number>;
  /** The (action, purpose) of each contact's events in the order they occurred, for status badges. */
  consentHistories(contactIds: readonly string[]): Promise<Map<string, { action: 'grant' | 'revoke'; purpose: Purpose | 'all' }[]>>;
}

/** Which ledger events to list. */
export interface LedgerFilter {
  action?: 'grant' | 'revoke';
  /** A revocation (purpose `all`) concerns every purpose, so it matches any purpose asked for. */
  purpose?: Purpose;
  source?: ConsentSource;
  contactId?: string;
  /** Occurred at or after. */
  from?: Date;
  /** Occurred before. */
  to?: Date;
  /** Events before this chain position (paging backwards). */
  beforeId?: number;
  limit?: number;
}

interface EventRow {
  id: string;
  contact_id: string;
  action: 'grant' | 'revoke';
  purpose: Purpose | 'all';
  source: ConsentSource;
  channel: ConsentChannel;
  text_shown: string | null;
  reply: string | null;
  source_ref: string | null;
  run_id: string | null;
  details: Record<string, unknown>;
  recorded_by: string;
  occurred_at: Date;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

const COLUMNS = `id, contact_id, action, purpose, source, channel, text_shown, reply, source_ref, run_id,
  details, recorded_by, occurred_at, recorded_at, prev_hash, hash`;

const GENESIS_HASH = '0'.repeat(64);
// Events per bulk insert. Each row still runs the chain trigger; batching only saves round trips.
const BULK_EVENTS = 1000;
const VERIFY_BATCH = 5000;

/**
 * A consent change as an outbound webhook event (`contact.opted_in` for a
 * grant, `contact.opted_out` for a revocation): ids, purpose, source and
 * channel, never the text shown or the reply. Recorded in the ledger's own
 * statement's transaction (call the ledger inside one).
 */
function consentOutboundEvent(e: {
  contactId: string;
  action: 'grant' | 'revoke';
  source: ConsentSource;
  channel: ConsentChannel;
  runId?: string | null;
  purpose?: string;
}) {
  return {
    type: e.action === 'grant' ? ('contact.opted_in' as const) : ('contact.opted_out' as const),
    runId: e.runId ?? null,
    contactId: e.contactId,
    data: {
      contactId: e.contactId,
      purpose: e.action === 'grant' ? (e.purpose ?? null) : 'all',
      source: e.source,
      channel: e.channel,
      runId: e.runId ?? null,
    },
  };
}

/** The ledger over a pool or a transaction's client. */
export function consentRepository(db: Queryable): ConsentRepository {
  return {
    async appendConsentEvent(event) {
      return atomically(db, async (q) => {
        const { rows } = await q.query<EventRow>(
          `insert into consent_events
           (contact_id, action, purpose, source, channel, text_shown, reply, source_ref, run_id, details, recorded_by, occurred_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         returning ${COLUMNS}`,
          [
            event.contactId,
            event.action,
            event.action === 'grant' ? event.purpose : 'all',
            event.source,
            event.channel,
            event.textShown ?? null,
            event.reply ?? null,
            event.sourceRef ?? null,
            event.runId ?? null,
            JSON.stringify(event.details ?? {}),
            event.recordedBy,
            event.occurredAt,
          ],
        );
        const recorded = toEvent(rows[0]!);
        await recordOutboundEvents(q, [consentOutboundEvent(recorded)]);
        return recorded;
      });
    },

    async listConsentEvents(contactId) {
      const { rows } = await db.query<EventRow>(`select ${COLUMNS} from consent_events where contact_id = $1 order by occurred_at, id`, [
        contactId,
      ]);
      return rows.map(toEvent);
    },

    async currentConsent(contactId) {
      const { rows } = await db.query<Pick<EventRow, 'action' | 'purpose'>>(
        'select action, purpose from consent_events where contact_id = $1 order by occurred_at, id',
        [contactId],
      );
      return consentLevelOf(rows);
    },

    async currentConsentOf(contactIds) {
      const { rows } = await db.query<Pick<EventRow, 'action' | 'purpose'> & { contact_id: string }>(
        'select contact_id, action, purpose from consent_events where contact_id = any($1::uuid[]) order by contact_id, occurred_at, id',
        [[...new Set(contactIds)]],
      );
      const events = new Map<string, Pick<EventRow, 'action' | 'purpose'>[]>(contactIds.map((id) => [id, []]));
      for (const r of rows) events.get(r.contact_id)?.push(r);
      return new Map([...events].map(([id, list]) => [id, consentLevelOf(list)]));
    },

    async appendConsentEvents(events) {
      return atomically(db, async (q) => {
        for (let i = 0; i < events.length; i += BULK_EVENTS) {
          const chunk = events.slice(i, i + BULK_EVENTS);
          // `with ordinality … order by` keeps the given order along the chain.
          await q.query(
            `insert into consent_events
             (contact_id, action, purpose, source, channel, text_shown, reply, source_ref, run_id, details, recorded_by, occurred_at)
           select contact_id, action, purpose, source, channel, text_shown, reply, source_ref, run_id, details::jsonb, recorded_by, occurred_at
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[], $12::timestamptz[])
             with ordinality as e(contact_id, action, purpose, source, channel, text_shown, reply, source_ref, run_id, details, recorded_by, occurred_at, n)
           order by n`,
            [
              chunk.map((e) => e.contactId),
              chunk.map((e) => e.action),
              chunk.map((e) => (e.action === 'grant' ? e.purpose : 'all')),
              chunk.map((e) => e.source),
              chunk.map((e) => e.channel),
              chunk.map((e) => e.textShown ?? null),
              chunk.map((e) => e.reply ?? null),
              chunk.map((e) => e.sourceRef ?? null),
              chunk.map((e) => e.runId ?? null),
              chunk.map((e) => JSON.stringify(e.details ?? {})),
              chunk.map((e) => e.recordedBy),
              chunk.map((e) => e.occurredAt),
            ],
          );
          await recordOutboundEvents(q, chunk.map(consentOutboundEvent));
        }
        return events.length;
      });
    },

    async listLedger(filter = {}) {
      const f = sqlFilter();
      if (filter.action) f.add('action = ?', filter.action);
      if (filter.purpose) f.add(`purpose in (?, 'all')`, filter.purpose);
      if (filter.source) f.add('source = ?', filter.source);
      if (filter.contactId) f.add('contact_id = ?', filter.contactId);
      if (filter.from) f.add('occurred_at >= ?', filter.from);
      if (filter.to) f.add('occurred_at < ?', filter.to);
      if (filter.beforeId !== undefined) f.add('id < ?', filter.beforeId);
      const limit = f.param(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
      const { rows } = await db.query<EventRow>(
        `select ${COLUMNS} from consent_events ${f.where()} order by id desc limit ${limit}`,
        f.values,
      );
      return rows.map(toEvent);
    },

    async ledgerAfter(afterId, limit, filter = {}) {
      const { rows } = await db.query<EventRow>(
        `select ${COLUMNS} from consent_events
         where id > $1 and ($2::uuid is null or contact_id = $2) and ($3::bigint is null or id <= $3)
         order by id limit $4`,
        [afterId, filter.contactId ?? null, filter.throughId ?? null, limit],
      );
      return rows.map(toEvent);
    },

    async lastEventId() {
      const { rows } = await db.query<{ last_id: string }>('select last_id from consent_chain_head');
      return Number(rows[0]?.last_id ?? 0);
    },

    async consentHistories(contactIds) {
      const histories = new Map<string, { action: 'grant' | 'revoke'; purpose: Purpose | 'all' }[]>(contactIds.map((id) => [id, []]));
      if (contactIds.length === 0) return histories;
      const { rows } = await db.query<Pick<EventRow, 'contact_id' | 'action' | 'purpose'>>(
        'select contact_id, action, purpose from consent_events where contact_id = any($1::uuid[]) order by contact_id, occurred_at, id',
        [contactIds],
      );
      for (const r of rows) histories.get(r.contact_id)?.push({ action: r.action, purpose: r.purpose });
      return histories;
    },

    async verifyLedger() {
      let previousId = 0;
      let previousHash = GENESIS_HASH;
      for (;;) {
        const { rows } = await db.query<CanonicalRow>(
          `select ${CANONICAL_COLUMNS} from consent_events e where e.id > $1 order by e.id limit ${VERIFY_BATCH}`,
          [previousId],
        );
        for (const row of rows) {
          const id = Number(row.id);
          if (id !== previousId + 1) {
            return {
              ok: false,
              firstBrokenId: id,
              reason: `event ${previousId + 1}${id - 1 > previousId + 1 ? `–${id - 1}` : ''} is missing before it`,
            };
          }
          if (row.prev_hash !== previousHash) {
            return { ok: false, firstBrokenId: id, reason: 'its previous-hash does not match the event before it' };
          }
          if (consentEventHash(row) !== row.hash) {
            return { ok: false, firstBrokenId: id, reason: 'its content does not match its hash (the row was altered)' };
          }
          previousId = id;
          previousHash = row.hash;
        }
        if (rows.length < VERIFY_BATCH) break;
      }
      const head = await db.query<{ last_id: string; last_hash: string }>('select last_id, last_hash from consent_chain_head');
      const last = head.rows[0];
      if (!last || Number(last.last_id) !== previousId || last.last_hash !== previousHash) {
        return {
          ok: false,
          firstBrokenId: previousId + 1,
          reason: `the chain head records ${last ? `${last.last_id} events` : 'nothing'}, but the ledger ends at event ${previousId}: later events are missing`,
        };
      }
      return { ok: true, count: previousId };
    },
  };
}

/** The row as text, exactly as the SQL function `consent_event_hash` renders it. */
export interface CanonicalRow {
  id: string;
  prev_hash: string;
  hash: string;
  fields: (string | null)[];
}

const UTC_MICROS = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
// Qualified with `e.`: the output column `id` is text, and must not be what we sort by.
const CANONICAL_COLUMNS = `e.id::text as id, prev_hash, hash, array[
  id::text, contact_id::text, action, purpose, source, channel, text_shown, reply, source_ref, run_id::text,
  details::text, recorded_by,
  to_char(occurred_at at time zone 'UTC', ${UTC_MICROS}),
  to_char(recorded_at at time zone 'UTC', ${UTC_MICROS})
]::text[] as fields`;

/**
 * The chain hash of a row, computed here independently of the database's
 * `consent_event_hash`: SHA-256 of the version tag, the previous hash, and
 * each field as the hex of its UTF-8 bytes ('-' for null), joined by '|'.
 */
export function consentEventHash(row: Pick<CanonicalRow, 'prev_hash' | 'fields'>): string {
  const fields = row.fields.map((f) => (f === null ? '-' : Buffer.from(f, 'utf8').toString('hex')));
  return createHash('sha256')
    .update(`optline.consent.v1|${row.prev_hash}|${fields.join('|')}`, 'utf8')
    .digest('hex');
}

function toEvent(row: EventRow): ConsentEvent {
  return {
    id: Number(row.id),
    contactId: row.contact_id,
    action: row.action,
    purpose: row.purpose,
    source: row.source,
    channel: row.channel,
    textShown: row.text_shown,
    reply: row.reply,
    sourceRef: row.source_ref,
    runId: row.run_id,
    details: row.details,
    recordedBy: row.recorded_by,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
