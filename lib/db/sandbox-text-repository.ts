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
  };
}
