import { storedByFirst } from './group-commit';
import { recordOutboundEvents } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';

export interface OutboundClaim {
  effectId: string;
  contactId: string;
  runId: string | null;
  purpose: 'informational' | 'marketing';
  body: string;
  provider: 'twilio' | 'sandbox';
  /** The engine's clock at the claim. */
  at: Date;
}

/** A text the provider took: its effect, the provider's id for it, when. */
export interface SentRecord {
  effectId: string;
  providerId: string;
  at: Date;
}

/** A delivery-status callback about an outbound text (by the provider's id, else our effect id). */
export interface DeliveryStatusUpdate {
  providerSid: string;
  effectId?: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered';
  errorCode?: number;
}

/** Texts in and out, over a pool or a transaction's client. */
export function messageRepository(db: Queryable) {
  /**
   * `claimSend` for many effects in one statement: per claim, in order,
   * whether this caller owns the send (an effect named twice is owned by
   * its first claim only). A send given back (`markPending`) is claimed
   * again; any other earlier claim keeps it.
   */
  const claimSends = async (claims: readonly OutboundClaim[]): Promise<boolean[]> => {
    // Each effect once in the statement (a second claim of it in the batch is not its owner).
    const named = new Set<string>();
    const unique = claims.filter((c) => !named.has(c.effectId) && named.add(c.effectId));
    const { rows } = await db.query<{ effect_id: string }>(
      `insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, status, created_at)
       select 'outbound', c.contact_id, c.run_id, c.effect_id, c.purpose, c.body, c.provider, 'sending', c.at
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) as c(contact_id, run_id, effect_id, purpose, body, provider, at)
       on conflict (effect_id) do update set status = 'sending', error = null, body = excluded.body, provider = excluded.provider
         where messages.status = 'pending'
       returning effect_id`,
      [
        unique.map((c) => c.contactId),
        unique.map((c) => c.runId),
        unique.map((c) => c.effectId),
        unique.map((c) => c.purpose),
        unique.map((c) => c.body),
        unique.map((c) => c.provider),
        unique.map((c) => c.at),
      ],
    );
    return storedByFirst(
      claims.map((c) => c.effectId),
      new Set(rows.map((r) => r.effect_id)),
    );
  };

  /** `markSent` for many texts in one statement. */
  const markSentMany = async (sent: readonly SentRecord[]): Promise<void> => {
    await db.query(
      // A status callback may land before the send's own answer is written: a final status it brought stays.
      // The rows are locked in id order first, as every statement that changes many texts does (a burst of status callbacks
      // beside it): two of them never wait on each other in a circle.
      `with locked as materialized (select id from messages where effect_id = any($1::text[]) order by id for update)
       update messages m set status = case when ${deliveryRank('m.status')} > ${deliveryRank("'sent'")} then m.status else 'sent' end,
         provider_sid = s.provider_sid, sent_at = s.at
       from unnest($1::text[], $2::text[], $3::timestamptz[]) as s(effect_id, provider_sid, at)
       where m.effect_id = s.effect_id and m.id in (select id from locked)`,
      [sent.map((s) => s.effectId), sent.map((s) => s.providerId), sent.map((s) => s.at)],
    );
  };

  /**
   * `updateDeliveryStatus` for many callbacks in one statement (a burst of
   * them: one commit, not one each), per callback in order whether it
   * changed its message. Of several callbacks about one message, the one
   * furthest along in delivery precedence is recorded (the first of equals)
   * and the others change nothing, as they would have one after the other
   * unless they came in that order. The precedence is checked again on the
   * row itself, so a concurrent callback about the same message never
   * moves it back.
   */
  const updateDeliveryStatuses = async (updates: readonly DeliveryStatusUpdate[]): Promise<boolean[]> => {
    const changed = updates.map(() => false);
    // "queued" teaches nothing (the message is on its way): no statement for it.
    const learnt = updates.flatMap((u, i) => (u.status === 'queued' ? [] : [{ ...u, n: i }]));
    if (learnt.length === 0) return changed;
    return atomically(db, async (q) => {
      const { rows } = await q.query<MessageEventRow & { n: number; status: string; error_code: number | null }>(
        `with u as (
           select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[]) as u(provider_sid, effect_id, status, error_code, n)),
         -- A callback names its message by provider id, by effect id, or both: two joins on an equality each (one join on
         -- "sid or effect" is planned as a scan of every text for each callback whenever the planner thinks the table small,
         -- as it does until the first ANALYZE: half a second for 200 callbacks beside 15,000 texts). Each join also names
         -- its ids as an array, so even a plan that scans the texts keeps only the batch's before it joins.
         candidates as (
           select m.id, m.status as was, u.* from u join messages m on m.provider_sid = u.provider_sid
           where m.provider_sid = any($1::text[]) and m.direction = 'outbound'
           union all
           select m.id, m.status, u.* from u join messages m on m.effect_id = u.effect_id
           where m.effect_id = any($2::text[]) and m.direction = 'outbound'),
         matched as (
           select distinct on (c.id) c.id, c.provider_sid, c.status, c.error_code, c.n
           from candidates c
           where c.was <> 'blocked' and ${deliveryRank('c.was')} < ${deliveryRank('c.status')}
           order by c.id, ${deliveryRank('c.status')} desc, c.n),
         -- Locked in id order first, as markSentMany does: a burst of callbacks and the sends being recorded beside it never
         -- wait on each other in a circle. The update joins only this (one lookup per text, each by its primary key).
         locked as materialized (select x.* from messages m join matched x on x.id = m.id order by m.id for update of m)
         update messages m set status = x.status, provider_sid = coalesce(m.provider_sid, x.provider_sid),
           error = case when x.error_code is null then m.error else 'provider error ' || x.error_code end
         from locked x
         where m.id = x.id
           and m.status <> 'blocked' and ${deliveryRank('m.status')} < ${deliveryRank('x.status')}
         returning m.id, m.run_id, m.contact_id, x.n, x.status, x.error_code`,
        [
          learnt.map((u) => u.providerSid),
          learnt.map((u) => u.effectId ?? null),
          learnt.map((u) => u.status),
          learnt.map((u) => u.errorCode ?? null),
          learnt.map((u) => u.n),
        ],
      );
      // A final status is told to the outbound webhooks, committed with it.
      await recordOutboundEvents(
        q,
        rows
          .filter((m) => m.status !== 'sent')
          .map((m) => messageOutboundEvent(m.status === 'delivered' ? 'message.delivered' : 'message.failed', m, m.status, m.error_code)),
      );
      for (const m of rows) changed[m.n] = true;
      return changed;
    });
  };

  return {
    claimSends,
    markSentMany,
    updateDeliveryStatuses,

    /**
     * Claims an effect before the provider is called: true when this caller
     * owns the send; false when the effect was claimed before (a retried or
     * crashed job), which must then be reconciled, never resent.
     */
    async claimSend(claim: OutboundClaim): Promise<boolean> {
      return (await claimSends([claim]))[0]!;
    },

    async claimedSend(effectId: string): Promise<{ status: string; providerSid: string | null; error: string | null } | undefined> {
      const { rows } = await db.query('select status, provider_sid, error from messages where effect_id = $1', [effectId]);
      return rows[0]
        ? { status: rows[0].status as string, providerSid: rows[0].provider_sid as string | null, error: rows[0].error as string | null }
        : undefined;
    },

    async markSent(effectId: string, providerSid: string, at: Date): Promise<void> {
      await markSentMany([{ effectId, providerId: providerSid, at }]);
    },

    /**
     * Gives a claimed send back: the provider refused it without sending it
     * (rate limited, unavailable before it took the text), so a later attempt
     * of the same effect may claim it again (`claimSends`). Says why.
     */
    async markPending(effectId: string, error: string): Promise<void> {
      await db.query(`update messages set status = 'pending', error = $2 where effect_id = $1 and status = 'sending'`, [effectId, error]);
    },

    /**
     * Marks a send failed (refused, or its fate unknown after a crash), with
     * why; a message not failed before gets its `message.failed` outbound
     * webhook event, committed with it (`atomically`).
     */
    async markFailed(effectId: string, error: string): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<MessageEventRow & { newly: boolean }>(
          `with before as (select id, status from messages where effect_id = $1 for update)
           update messages m set status = 'failed', error = $2 from before b where m.id = b.id
           returning m.id, m.run_id, m.contact_id, b.status <> 'failed' as newly`,
          [effectId, error],
        );
        await recordOutboundEvents(
          q,
          rows.filter((m) => m.newly).map((m) => messageOutboundEvent('message.failed', m, 'failed', null)),
        );
      });
    },

    /** Records a send the guard refused, with why. */
    async recordBlocked(claim: OutboundClaim, reason: string): Promise<void> {
      await db.query(
        `insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, status, error, created_at)
         values ('outbound', $1, $2, $3, $4, $5, $6, 'blocked', $7, $8)
         on conflict (effect_id) do update set status = 'blocked', error = excluded.error where messages.status = 'pending'`,
        [claim.contactId, claim.runId, claim.effectId, claim.purpose, claim.body, claim.provider, reason, claim.at],
      );
    },

    /** Records a text received from a contact, on the record of the run it came during when there is one. */
    async recordInbound(m: {
      contactId: string;
      /** The run the contact was in when the text came. */
      runId?: string | null;
      body: string;
      providerSid: string;
      provider: 'twilio' | 'sandbox';
      at: Date;
    }): Promise<void> {
      await db.query(
        `insert into messages (direction, contact_id, run_id, body, provider, provider_sid, status, created_at)
         values ('inbound', $1, $2, $3, $4, $5, 'received', $6)
         on conflict (provider_sid) do nothing`,
        [m.contactId, m.runId ?? null, m.body, m.provider, m.providerSid, m.at],
      );
    },

    /** When marketing texts were sent to the contact since `since` (the frequency cap's window). */
    async marketingSentSince(contactId: string, since: Date): Promise<Date[]> {
      const { rows } = await db.query(
        `select sent_at from messages where contact_id = $1 and direction = 'outbound' and purpose = 'marketing' and sent_at > $2 order by sent_at`,
        [contactId, since],
      );
      return rows.map((r) => r.sent_at as Date);
    },

    /** The contact's last inbound text, and whether anything was sent to them after it. */
    async lastInbound(contactId: string): Promise<{ at: Date; answered: boolean } | undefined> {
      const { rows } = await db.query(
        `select m.created_at, exists (select 1 from messages o where o.contact_id = m.contact_id and o.direction = 'outbound'
            and o.status in ('sending', 'sent', 'delivered') and o.created_at > m.created_at) as answered
         from messages m where m.contact_id = $1 and m.direction = 'inbound' order by m.created_at desc limit 1`,
        [contactId],
      );
      return rows[0] ? { at: rows[0].created_at as Date, answered: rows[0].answered as boolean } : undefined;
    },

    /**
     * Records a delivery-status callback on the outbound message it is about
     * (by provider id, else by effect id), only when it moves the message
     * forward in delivery precedence (see `deliveryRank`): a final status
     * never changes. False when nothing changed: an unknown message, a
     * replayed callback, or a late, out-of-order one (a "sent" or "failed"
     * after "delivered").
     */
    async updateDeliveryStatus(u: DeliveryStatusUpdate): Promise<boolean> {
      return (await updateDeliveryStatuses([u]))[0]!;
    },

    /** The latest texts in and out, newest first, as the sandbox phone shows them (with the sandbox, what was really sent). */
    async listRecent(limit = 100): Promise<
      {
        id: string;
        direction: string;
        contactId: string;
        runId: string | null;
        body: string;
        status: string;
        error: string | null;
        createdAt: Date;
      }[]
    > {
      const { rows } = await db.query(
        `select m.id, m.direction, m.contact_id, m.run_id, coalesce(s.body, m.body) as body, m.status, m.error, m.created_at
         from messages m left join sandbox_texts s on s.message_id = m.id order by m.created_at desc, m.id desc limit $1`,
        [limit],
      );
      return rows.map((r) => ({
        id: String(r.id),
        direction: r.direction,
        contactId: r.contact_id,
        runId: r.run_id,
        body: r.body,
        status: r.status,
        error: r.error,
        createdAt: r.created_at,
      }));
    },

    /** A run's texts, oldest first. */
    async listForRun(
      runId: string,
    ): Promise<{ direction: string; body: string; status: string; error: string | null; createdAt: Date; sentAt: Date | null }[]> {
      const { rows } = await db.query(
        'select direction, body, status, error, created_at, sent_at from messages where run_id = $1 order by created_at, id',
        [runId],
      );
      return rows.map((r) => ({
        direction: r.direction,
        body: r.body,
        status: r.status,
        error: r.error,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      }));
    },

    async listForContact(
      contactId: string,
    ): Promise<{ direction: string; body: string; status: string; effectId: string | null; error: string | null }[]> {
      const { rows } = await db.query(
        'select direction, body, status, effect_id, error from messages where contact_id = $1 order by created_at, id',
        [contactId],
      );
      return rows.map((r) => ({ direction: r.direction, body: r.body, status: r.status, effectId: r.effect_id, error: r.error }));
    },
  };
}

/**
 * A message status's place in delivery precedence, as SQL. Twilio's callbacks
 * arrive out of order (https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks),
 * so a status is only taken when it ranks above the stored one. Twilio's
 * statuses map onto ours in lib/providers/twilio/twilio-status.ts:
 * accepted/scheduled/queued/sending (queued, never stored) < sent/partially_delivered (sent)
 * < delivered/read (delivered), undelivered, failed/canceled (failed). The
 * last three are final and rank alike: the first one recorded stays, so a
 * late "failed" never overwrites "delivered" nor the reverse. Trades a
 * rare carrier correction (undelivered, then delivered) for a history that
 * never flaps.
 */
function deliveryRank(status: string): string {
  return `(case ${status} when 'pending' then 0 when 'sending' then 1 when 'queued' then 1 when 'sent' then 2
    when 'delivered' then 3 when 'undelivered' then 3 when 'failed' then 3 else 4 end)`;
}

interface MessageEventRow {
  id: string;
  run_id: string | null;
  contact_id: string;
}

/** A text's outbound webhook event: ids, the status and the carrier's error code (null when the carrier gave none). */
function messageOutboundEvent(type: 'message.delivered' | 'message.failed', m: MessageEventRow, status: string, errorCode: number | null) {
  return {
    type,
    runId: m.run_id,
    contactId: m.contact_id,
    data: { messageId: String(m.id), runId: m.run_id, contactId: m.contact_id, status, errorCode },
  };
}
