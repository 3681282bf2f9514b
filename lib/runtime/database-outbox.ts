import { GroupCommit } from '../db/group-commit';
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

  /** Sends of the same moment are stored in one statement. */
  private readonly sends = new GroupCommit<SandboxOutboundMessage, string | undefined>(async (msgs) => {
    // The text as the sandbox phone shows it (the `messages` copy has secrets masked); stored once.
    const { rows } = await this.db.query<{ n: string; id: string }>(
      `with m as (select a.n, m.id, a.body from unnest($1::text[], $2::text[]) with ordinality as a(effect_id, body, n) join messages m on m.effect_id = a.effect_id),
         stored as (insert into sandbox_texts (message_id, body) select id, body from m on conflict (message_id) do nothing)
       select n, id from m`,
      [msgs.map((m) => m.effectId), msgs.map((m) => m.body)],
    );
    const ids = new Map(rows.map((r) => [Number(r.n), r.id]));
    return msgs.map((_, i) => ids.get(i + 1));
  });

  async record(msg: SandboxOutboundMessage): Promise<{ id: string }> {
    const id = await this.sends.add(msg);
    if (!id) throw new Error(`sandbox send for effect ${msg.effectId} has no message row: the engine claims a send before calling the provider`);
    return { id };
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
