import type { Queryable } from '../db/queryable';
import type { SandboxOutboundMessage, SandboxOutbox } from '../providers/sandbox/sandbox-outbox';

/**
 * The sandbox outbox of a running Optline: the `messages` table itself. The
 * engine records every outbound text there before it calls the provider, so
 * "storing" a sandbox send is recording its provider id on that row; a
 * second send of the same effect finds the row and stores nothing.
 */
export class DatabaseSandboxOutbox implements SandboxOutbox {
  constructor(private readonly db: Queryable) {}

  async record(msg: SandboxOutboundMessage): Promise<{ id: string }> {
    // The text as the sandbox phone shows it (the `messages` copy has secrets masked); stored once.
    const { rows } = await this.db.query(
      `with m as (select id from messages where effect_id = $1),
         stored as (insert into sandbox_texts (message_id, body) select id, $2 from m on conflict (message_id) do nothing)
       select id from m`,
      [msg.effectId, msg.body],
    );
    if (!rows[0]) throw new Error(`sandbox send for effect ${msg.effectId} has no message row: the engine claims a send before calling the provider`);
    return { id: rows[0].id as string };
  }

  async find(providerId: string): Promise<SandboxOutboundMessage | undefined> {
    const { rows } = await this.db.query(
      // By the id recorded on the message, or (a sender that died before recording it) by the
      // id the sandbox derives from the effect id, for a message the sandbox did receive.
      `select m.effect_id, coalesce(s.body, m.body) as body, m.created_at, c.phone_e164 as to
       from messages m join contacts c on c.id = m.contact_id left join sandbox_texts s on s.message_id = m.id
       where m.direction = 'outbound' and (m.provider_sid = $1
         or (s.message_id is not null and 'SB' || left(encode(sha256(convert_to(m.effect_id, 'UTF8')), 'hex'), 32) = $1))`,
      [providerId],
    );
    const r = rows[0];
    return r ? { providerId, effectId: r.effect_id, to: r.to, from: 'sandbox', body: r.body, createdAt: r.created_at } : undefined;
  }
}
