import { describe, expect, it } from 'vitest';
import { messageRepository } from '@/lib/db/message-repository';
import { makeContact } from '@/lib/db/testing/fixtures';
import { SANDBOX_FROM_NUMBER, sandboxMessageId } from '@/lib/providers/sandbox/sandbox-messaging-provider';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { DatabaseSandboxOutbox } from './database-outbox';

const db = useTestDatabase();

describe('DatabaseSandboxOutbox: sandbox sends stored on their claimed message rows', () => {
  it('stores the sends of one moment together, each once, and fails only a send whose effect was never claimed', async () => {
    const c = await makeContact(db().pool);
    const messages = messageRepository(db().pool);
    for (const id of ['outbox-1', 'outbox-2']) {
      await messages.claimSend({
        effectId: id,
        contactId: c.id,
        runId: null,
        purpose: 'informational',
        body: 'masked ••••',
        provider: 'sandbox',
        at: new Date('2026-03-10T15:00:00Z'),
      });
    }
    const outbox = new DatabaseSandboxOutbox(db().pool);
    const send = (effectId: string, body: string) =>
      outbox.record({
        providerId: sandboxMessageId(effectId),
        effectId,
        body,
        to: c.phone!,
        from: SANDBOX_FROM_NUMBER,
        createdAt: new Date('2026-03-10T15:00:00Z'),
      });

    const results = await Promise.allSettled([
      send('outbox-1', 'code 123456'),
      send('outbox-2', 'code 654321'),
      send('outbox-unclaimed', 'x'),
      send('outbox-1', 'code 123456'),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toMatch(/effect outbox-unclaimed has no message row/);
    const { rows } = await db().pool.query(
      `select m.effect_id, s.body, m.id from sandbox_texts s join messages m on m.id = s.message_id where m.effect_id like 'outbox-%' order by m.effect_id`,
    );
    expect(rows.map((r) => [r.effect_id, r.body])).toEqual([
      ['outbox-1', 'code 123456'],
      ['outbox-2', 'code 654321'],
    ]);
    // The message id of the row is the send's id, the same for a repeated send.
    expect((results[0] as PromiseFulfilledResult<{ id: string }>).value.id).toBe(rows[0].id);
    expect((results[3] as PromiseFulfilledResult<{ id: string }>).value.id).toBe(rows[0].id);
    expect(await outbox.find(`SB${'0'.repeat(32)}`)).toBeUndefined();
  });
});
