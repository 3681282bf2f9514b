import { GroupCommit } from '@/lib/db/group-commit';
import type { Queryable } from '@/lib/db/queryable';
import { sandboxTextRepository } from '@/lib/db/sandbox-text-repository';
import type { SandboxOutboundMessage, SandboxOutbox } from '@/lib/providers/sandbox/sandbox-outbox';

/**
 * The sandbox outbox of a running Optline: the `messages` table itself. The
 * engine records every outbound text there before it calls the provider, so
 * "storing" a sandbox send is recording its provider id on that row; a
 * second send of the same effect finds the row and stores nothing.
 */
export class DatabaseSandboxOutbox implements SandboxOutbox {
  constructor(private readonly db: Queryable) {}

  /** Sends of the same moment are stored in one statement; the text as the sandbox phone shows it (the `messages` copy has secrets masked). */
  private readonly sends = new GroupCommit<SandboxOutboundMessage, string | undefined>((msgs) =>
    sandboxTextRepository(this.db).store(msgs),
  );

  async record(msg: SandboxOutboundMessage): Promise<{ id: string }> {
    const id = await this.sends.add(msg);
    if (!id)
      throw new Error(`sandbox send for effect ${msg.effectId} has no message row: the engine claims a send before calling the provider`);
    return { id };
  }

  async find(providerId: string): Promise<SandboxOutboundMessage | undefined> {
    const text = await sandboxTextRepository(this.db).find(providerId);
    return text && { providerId, effectId: text.effectId, to: text.to, from: 'sandbox', body: text.body, createdAt: text.createdAt };
  }
}
