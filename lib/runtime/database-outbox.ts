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
    const { rows } = await this.db.query('select id from messages where effect_id = $1', [msg.effectId]);
    if (!rows[0]) throw new Error(`sandbox send for effect ${msg.effectId} has no message row: the engine claims a send before calling the provider`);
    return { id: rows[0].id as string };
  }

  async find(providerId: string): Promise<SandboxOutboundMessage | undefined> {
    const { rows } = await this.db.query(
      `select m.effect_id, m.body, m.created_at, c.phone_e164 as to from messages m join contacts c on c.id = m.contact_id
       where m.provider_sid = $1 and m.direction = 'outbound'`,
      [providerId],
    );
    const r = rows[0];
    return r ? { providerId, effectId: r.effect_id, to: r.to, from: 'sandbox', body: r.body, createdAt: r.created_at } : undefined;
  }
}
