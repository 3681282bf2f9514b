import { describe, expect, it } from 'vitest';
import { grant } from '@/lib/runtime/testing/engine-harness';
import { contactKeys } from './contact-repository';
import { readEffectContexts, readGuard } from './effect-context';
import { flowRepository } from './flow-repository';
import { messageRepository, type OutboundClaim } from './message-repository';
import { makeContact, TEST_APP_SECRET } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const q = (sql: string, values: unknown[] = []) => db().pool.query(sql, values);
const keys = contactKeys(TEST_APP_SECRET);
let counter = 0;

async function runOf(contactId: string): Promise<string> {
  const id = `context-${++counter}`;
  await flowRepository(db().pool).createFlow({ id, name: 'C', draft: {}, savedBy: 'user:1' });
  const v = await flowRepository(db().pool).saveVersion(id, { id }, 'user:1');
  const { rows } = await q(
    `insert into runs (flow_version_id, contact_id, snapshot, vars) values ($1, $2, '{"value":"ask"}', '{"n":1}') returning id`,
    [v.id, contactId],
  );
  return rows[0].id as string;
}

describe('readEffectContexts: the runs, contacts and guard readings of many effects in one statement', () => {
  it('answers each ask in order with its run, its decrypted contact and the same readings readGuard gives; a run that does not exist is undefined', async () => {
    const ann = await makeContact(db().pool, { name: 'Ann', zip: '33101', zone: 'America/New_York', state: 'FL' });
    const bob = await makeContact(db().pool, { name: 'Bob' });
    await grant(db().pool, ann.id, 'marketing', '2026-03-01T00:00:00Z');
    await q(
      `insert into inbound_texts (provider_sid, phone_hash, body, received_at, provider) values ('SMctx1', $1, 'stop please', now(), 'sandbox')`,
      [keys.hashPhone(bob.phone!)],
    );
    await q(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, status, sent_at) values ('outbound', $1, 'ctx-m1', 'marketing', 'Sale', 'sandbox', 'sent', '2026-03-09T12:00:00Z')`,
      [ann.id],
    );
    const annRun = await runOf(ann.id);
    const bobRun = await runOf(bob.id);
    const since = new Date('2026-03-09T00:00:00Z');
    const missing = '00000000-0000-4000-8000-000000000000';

    const read = await readEffectContexts(db().pool, keys, [
      { runId: bobRun, since },
      { runId: missing, since },
      { runId: annRun, since },
      { runId: annRun, since: new Date('2026-03-10T00:00:00Z') },
    ]);

    expect(read).toHaveLength(4);
    expect(read[1]).toBeUndefined();
    expect(read[0]).toMatchObject({
      run: { id: bobRun, contactId: bob.id, status: 'active', snapshot: { value: 'ask' }, vars: { n: 1 } },
      contact: { id: bob.id, name: 'Bob', phone: bob.phone },
    });
    expect(read[0]!.guard).toEqual(await readGuard(db().pool, bob.id, since));
    expect(read[0]!.guard.unprocessed).toEqual(['stop please']);
    expect(read[2]).toMatchObject({
      run: { id: annRun },
      contact: { id: ann.id, name: 'Ann', zip: '33101', zone: 'America/New_York', state: 'FL' },
    });
    expect(read[2]!.guard).toEqual(await readGuard(db().pool, ann.id, since));
    expect(read[2]!.guard.consent).toEqual([{ action: 'grant', purpose: 'marketing' }]);
    expect(read[2]!.guard.marketing).toHaveLength(1);
    // Each ask counts marketing sends from its own `since`.
    expect(read[3]!.guard.marketing).toEqual([]);
  });
});

describe('claimSends and markSentMany: sends claimed and recorded in one statement each', () => {
  it('gives the send to the first claim of each effect only: claimed before, or named twice in the batch, is not owned', async () => {
    const c = await makeContact(db().pool);
    const claim = (effectId: string): OutboundClaim => ({
      effectId,
      contactId: c.id,
      runId: null,
      purpose: 'informational',
      body: `text ${effectId}`,
      provider: 'sandbox',
      at: new Date('2026-03-10T15:00:00Z'),
    });
    const messages = messageRepository(db().pool);
    expect(await messages.claimSend(claim('claim-a'))).toBe(true);

    expect(await messages.claimSends([claim('claim-a'), claim('claim-b'), claim('claim-c'), claim('claim-b')])).toEqual([
      false,
      true,
      true,
      false,
    ]);

    const { rows } = await q(`select effect_id, status, body, created_at from messages where effect_id like 'claim-%' order by effect_id`);
    expect(rows).toEqual([
      { effect_id: 'claim-a', status: 'sending', body: 'text claim-a', created_at: new Date('2026-03-10T15:00:00Z') },
      { effect_id: 'claim-b', status: 'sending', body: 'text claim-b', created_at: new Date('2026-03-10T15:00:00Z') },
      { effect_id: 'claim-c', status: 'sending', body: 'text claim-c', created_at: new Date('2026-03-10T15:00:00Z') },
    ]);
  });

  it('claims again a send given back (the provider refused it unsent), once per batch; a send claimed and not given back stays with its owner', async () => {
    const c = await makeContact(db().pool);
    const claim = (effectId: string, body = 'first'): OutboundClaim => ({
      effectId,
      contactId: c.id,
      runId: null,
      purpose: 'informational',
      body,
      provider: 'sandbox',
      at: new Date('2026-03-10T15:00:00Z'),
    });
    const messages = messageRepository(db().pool);
    expect(await messages.claimSends([claim('back-1'), claim('back-2')])).toEqual([true, true]);
    await messages.markPending('back-1', 'Too Many Requests; trying again (1 of 5)');

    expect(await messages.claimSends([claim('back-1', 'second'), claim('back-2', 'second'), claim('back-1', 'third')])).toEqual([
      true,
      false,
      false,
    ]);

    const { rows } = await q(`select effect_id, status, body, error from messages where effect_id like 'back-%' order by effect_id`);
    expect(rows).toEqual([
      { effect_id: 'back-1', status: 'sending', body: 'second', error: null },
      { effect_id: 'back-2', status: 'sending', body: 'first', error: null },
    ]);
    const history = await q(
      `select m.effect_id, c.status, c.error from message_status_changes c join messages m on m.id = c.message_id where m.effect_id like 'back-%' order by c.id`,
    );
    expect(history.rows.filter((r) => r.effect_id === 'back-1')).toEqual([
      { effect_id: 'back-1', status: 'sending', error: null },
      { effect_id: 'back-1', status: 'pending', error: 'Too Many Requests; trying again (1 of 5)' },
      { effect_id: 'back-1', status: 'sending', error: null },
    ]);
    // Only a send in the hands of its claimer is given back.
    await messages.markSent('back-2', 'SB2', new Date('2026-03-10T15:00:01Z'));
    await messages.markPending('back-2', 'late');
    expect((await q(`select status from messages where effect_id = 'back-2'`)).rows).toEqual([{ status: 'sent' }]);
  });

  it('marks many claimed sends sent in one statement, each with its own provider id and time; others are left alone', async () => {
    const c = await makeContact(db().pool);
    const messages = messageRepository(db().pool);
    const claim = (effectId: string): OutboundClaim => ({
      effectId,
      contactId: c.id,
      runId: null,
      purpose: 'informational',
      body: 'b',
      provider: 'sandbox',
      at: new Date('2026-03-10T15:00:00Z'),
    });
    expect(await messages.claimSends([claim('sent-1'), claim('sent-2'), claim('sent-3')])).toEqual([true, true, true]);

    await messages.markSentMany([
      { effectId: 'sent-1', providerId: 'SB1', at: new Date('2026-03-10T15:00:01Z') },
      { effectId: 'sent-3', providerId: 'SB3', at: new Date('2026-03-10T15:00:03Z') },
    ]);

    const { rows } = await q(
      `select effect_id, status, provider_sid, sent_at from messages where effect_id like 'sent-%' order by effect_id`,
    );
    expect(rows).toEqual([
      { effect_id: 'sent-1', status: 'sent', provider_sid: 'SB1', sent_at: new Date('2026-03-10T15:00:01Z') },
      { effect_id: 'sent-2', status: 'sending', provider_sid: null, sent_at: null },
      { effect_id: 'sent-3', status: 'sent', provider_sid: 'SB3', sent_at: new Date('2026-03-10T15:00:03Z') },
    ]);
  });
});
