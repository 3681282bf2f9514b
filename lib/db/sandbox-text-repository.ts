import type { Queryable } from './queryable';

/** A sandbox text as the sandbox phone shows it. */
export interface SandboxText {
  effectId: string;
  to: string;
  body: string;
  createdAt: Date;
}

/** The sandbox's copies of outbound texts (`sandbox_texts`, beside their `messages` rows). */
export function sandboxTextRepository(db: Queryable) {
  return {
    /**
     * Stores each text's body once beside the message of its effect, in one
     * statement; returns, per text in order, its message id (undefined when
     * no message has that effect id).
     */
    async store(texts: readonly { effectId: string; body: string }[]): Promise<(string | undefined)[]> {
      const { rows } = await db.query<{ n: string; id: string }>(
        `with m as (select a.n, m.id, a.body from unnest($1::text[], $2::text[]) with ordinality as a(effect_id, body, n) join messages m on m.effect_id = a.effect_id),
           stored as (insert into sandbox_texts (message_id, body) select id, body from m on conflict (message_id) do nothing)
         select n, id from m`,
        [texts.map((m) => m.effectId), texts.map((m) => m.body)],
      );
      const ids = new Map(rows.map((r) => [Number(r.n), r.id]));
      return texts.map((_, i) => ids.get(i + 1));
    },

    /** An outbound text by its provider id. */
    async find(providerId: string): Promise<SandboxText | undefined> {
      const { rows } = await db.query(
        // By the id recorded on the message, or (a sender that died before recording it) by the
        // id the sandbox derives from the effect id, for a message the sandbox did receive.
        `select m.effect_id, coalesce(s.body, m.body) as body, m.created_at, c.phone_e164 as to
         from messages m join contacts c on c.id = m.contact_id left join sandbox_texts s on s.message_id = m.id
         where m.direction = 'outbound' and (m.provider_sid = $1
           or (s.message_id is not null and 'SB' || left(encode(sha256(convert_to(m.effect_id, 'UTF8')), 'hex'), 32) = $1))`,
        [providerId],
      );
      const r = rows[0];
      return r
        ? { effectId: r.effect_id as string, to: r.to as string, body: r.body as string, createdAt: r.created_at as Date }
        : undefined;
    },

    /**
     * The sandbox's conversations, as each number's phone shows them: the
     * `numbers` numbers texted or texting most recently, each with its last
     * `perNumber` texts in and out, oldest first (an outbound text with the
     * body the phone got, its pay link whole). Texts held back or blocked
     * never reached the phone and are not shown; erased contacts neither.
     */
    async conversations(bounds: { numbers: number; perNumber: number }): Promise<SandboxConversation[]> {
      const { rows } = await db.query(
        `with numbers as (
           select m.contact_id, max(m.created_at) as last_at from messages m
           where m.provider = 'sandbox' and m.status not in ('pending', 'blocked')
           group by m.contact_id order by last_at desc, m.contact_id limit $1)
         select n.contact_id, c.phone_e164, t.id, t.direction, t.body, t.status, t.created_at
         from numbers n join contacts c on c.id = n.contact_id
         cross join lateral (
           select m.id, m.direction, coalesce(s.body, m.body) as body, m.status, m.created_at
           from messages m left join sandbox_texts s on s.message_id = m.id
           where m.contact_id = n.contact_id and m.provider = 'sandbox' and m.status not in ('pending', 'blocked')
           order by m.created_at desc, m.id desc limit $2) t
         where c.phone_e164 is not null
         order by n.last_at desc, n.contact_id, t.created_at, t.id`,
        [bounds.numbers, bounds.perNumber],
      );
      const out: SandboxConversation[] = [];
      for (const r of rows) {
        const previous = out.at(-1);
        const last: SandboxConversation =
          previous && previous.contactId === r.contact_id
            ? previous
            : { contactId: r.contact_id as string, phone: r.phone_e164 as string, texts: [] };
        if (last !== previous) out.push(last);
        last.texts.push({
          id: r.id as string,
          direction: r.direction as 'inbound' | 'outbound',
          body: r.body as string,
          status: r.status as string,
          at: r.created_at as Date,
        });
      }
      return out;
    },
  };
}

/** One number's texts in the sandbox, oldest first. */
export interface SandboxConversation {
  contactId: string;
  phone: string;
  texts: { id: string; direction: 'inbound' | 'outbound'; body: string; status: string; at: Date }[];
}
