import type pg from 'pg';
import type { Queryable } from './queryable';

/** A text the webhook stored in the inbox (`inbound_texts`); its job classifies it. */
export interface InboundText {
  id: string;
  providerSid: string;
  phoneHash: string;
  body: string;
  receivedAt: Date;
}

/** A text as the webhook hands it over: the number only as its keyed hash. */
export interface AcceptedText {
  providerId: string;
  phoneHash: string;
  body: string;
  at: Date;
}

const toText = (r: Record<string, unknown>): InboundText => ({
  id: String(r.id),
  providerSid: r.provider_sid as string,
  phoneHash: r.phone_hash as string,
  body: r.body as string,
  receivedAt: r.received_at as Date,
});

/**
 * Stores texts in the inbox and enqueues a `task` job for each new one, in
 * one statement; returns the provider ids that were new (a replayed id is
 * stored once and gets no second job).
 */
export async function acceptInboundTexts(
  pool: pg.Pool,
  texts: readonly AcceptedText[],
  provider: string,
  task: string,
): Promise<Set<string>> {
  const { rows } = await pool.query<{ provider_sid: string }>({
    // Prepared once per connection: the hot path skips parsing and planning.
    name: 'optline_accept_inbound',
    text: `with text as (
       insert into inbound_texts (provider_sid, provider, phone_hash, body, received_at)
       select sid, $5, hash, body, at from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) with ordinality as t(sid, hash, body, at, n) order by n
       on conflict (provider_sid) do nothing returning provider_sid),
     jobs as (
       select graphile_worker.add_jobs(array_agg(row($6::text, json_build_object('providerId', provider_sid), null::text, null::timestamptz, 10::smallint, null::text, null::smallint, null::text[])::graphile_worker.job_spec))
       from text having count(*) > 0)
     select provider_sid, (select count(*) from jobs) as jobs from text`,
    values: [
      texts.map((t) => t.providerId),
      texts.map((t) => t.phoneHash),
      texts.map((t) => t.body),
      texts.map((t) => t.at),
      provider,
      task,
    ],
  });
  return new Set(rows.map((r) => r.provider_sid));
}

/** The inbox of inbound texts, over a pool or a transaction's client. */
export function inboundTextRepository(db: Queryable) {
  return {
    /** The number (hashed) a text came from and what became of it, if it was processed. */
    async find(providerSid: string): Promise<{ phoneHash: string; outcome: string | null } | undefined> {
      const {
        rows: [r],
      } = await db.query('select phone_hash, outcome from inbound_texts where provider_sid = $1', [providerSid]);
      return r && { phoneHash: r.phone_hash as string, outcome: r.outcome as string | null };
    },

    /** Holds the number's texts for this transaction: one at a time, in the order they came. */
    async lockNumber(phoneHash: string): Promise<void> {
      await db.query(`select pg_advisory_xact_lock(hashtextextended('inbound:' || $1, 0))`, [phoneHash]);
    },

    /** The number's oldest unprocessed text, locked. */
    async oldestUnprocessed(phoneHash: string): Promise<InboundText | undefined> {
      const {
        rows: [r],
      } = await db.query(
        'select id, provider_sid, phone_hash, body, received_at from inbound_texts where phone_hash = $1 and processed_at is null order by id limit 1 for update',
        [phoneHash],
      );
      return r && toText(r);
    },

    async markProcessed(id: string, outcome: string): Promise<void> {
      await db.query('update inbound_texts set processed_at = now(), outcome = $2 where id = $1', [id, outcome]);
    },

    /** Replaces the text kept (an identity answer is kept only masked). */
    async replaceBody(id: string, body: string): Promise<void> {
      await db.query('update inbound_texts set body = $2 where id = $1', [id, body]);
    },

    /** Deletes the texts received before `before` and processed since; returns how many went. */
    async pruneProcessed(before: Date): Promise<number> {
      const { rowCount } = await db.query('delete from inbound_texts where processed_at is not null and received_at < $1', [before]);
      return rowCount ?? 0;
    },
  };
}
