import { randomUUID } from 'node:crypto';
import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_EVENT_TYPES } from '@/lib/outbound-events/event-types';
import { quietLogger } from '@/lib/runtime/testing/engine-harness';
import { consentRepository, type NewConsentEvent } from './consent-repository';
import { flowRepository } from './flow-repository';
import { messageRepository } from './message-repository';
import { paymentRepository } from './payment-repository';
import { withTransaction } from './queryable';
import { runRepository } from './run-repository';
import { StepWrites } from './step-writes';
import { makeContact } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';
import { verificationRepository } from './verification-repository';

// The outbox rule: a change and the outbound webhook event reporting it commit together, even when the repository
// was given the pool (each statement its own commit) rather than a transaction's client. A trigger that makes the
// outbox insert fail stands for a crash between the two statements: the change must not be kept without its event.
const db = useTestDatabase();
const q = (sql: string, values: unknown[] = []) => db().pool.query(sql, values);
const HASH = 'a'.repeat(64);
let counter = 0;

beforeAll(async () => {
  await runMigrations({ pgPool: db().pool, logger: quietLogger });
  // An endpoint subscribed to every event, so every event is stored (an event no endpoint wants is not).
  await q(
    `insert into webhook_endpoints (url, event_types, secret_ciphertext, created_by) values ('http://127.0.0.1:9/hook', $1, '\\x00', 'test')`,
    [[...OUTBOUND_EVENT_TYPES]],
  );
  await q(`create function outbox_down() returns trigger language plpgsql as $$ begin raise exception 'outbox down'; end $$`);
  await q(`create trigger outbox_down before insert on webhook_events for each statement execute function outbox_down()`);
  await q(`alter table webhook_events disable trigger outbox_down`);
});

const outboxDown = (down: boolean) => q(`alter table webhook_events ${down ? 'enable' : 'disable'} trigger outbox_down`);
const events = async (type: string) => Number((await q('select count(*) from webhook_events where type = $1', [type])).rows[0].count);

async function activeRun(): Promise<{ runId: string; contactId: string }> {
  const id = `outbox-${++counter}`;
  await flowRepository(db().pool).createFlow({ id, name: 'O', draft: {}, savedBy: 'user:1' });
  const v = await flowRepository(db().pool).saveVersion(id, { id }, 'user:1');
  const contact = await makeContact(db().pool);
  const { rows } = await q(`insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{"value":"start"}') returning id`, [
    v.id,
    contact.id,
  ]);
  return { runId: rows[0].id, contactId: contact.id };
}

const runStatus = async (runId: string) => (await q('select status from runs where id = $1', [runId])).rows[0].status as string;

function grant(contactId: string): NewConsentEvent {
  return {
    contactId,
    action: 'grant',
    purpose: 'informational',
    source: 'import',
    channel: 'paper',
    textShown: 'Signed consent form',
    recordedBy: 'test',
    occurredAt: new Date('2026-03-10T15:00:00Z'),
  };
}

async function verification(): Promise<string> {
  const { runId } = await activeRun();
  const { rows } = await q(
    `insert into verifications (run_id, node_id, effect_id, method, answer_hash, attempts_left) values ($1, 'check', $2, 'zip', $3, 3) returning id`,
    [runId, randomUUID(), HASH],
  );
  return rows[0].id;
}

async function payment(): Promise<string> {
  const { runId, contactId } = await activeRun();
  const { rows } = await q(
    `insert into payments (run_id, contact_id, effect_id, token_hash, amount_minor, currency, description, provider, expires_at)
     values ($1, $2, $3, $4, 500, 'usd', 'Deposit', 'sandbox', now() + interval '1 day') returning id`,
    [runId, contactId, randomUUID(), randomUUID().replaceAll('-', '').padEnd(64, '0')],
  );
  return rows[0].id;
}

async function outboundText(status: 'sending' | 'sent'): Promise<{ effectId: string; providerSid: string }> {
  const { runId, contactId } = await activeRun();
  const effectId = randomUUID();
  const providerSid = `SM${randomUUID()}`;
  await q(
    `insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, provider_sid, status)
     values ('outbound', $1, $2, $3, 'informational', 'Hello', 'sandbox', $4, $5)`,
    [contactId, runId, effectId, providerSid, status],
  );
  return { effectId, providerSid };
}

const column = async (table: string, id: string, name: string) =>
  (await q(`select ${name} as v from ${table} where id = $1`, [id])).rows[0].v;

/** Each repository method that records an outbound event: a fresh subject, the change over the pool, whether it was kept. */
const cases: {
  name: string;
  event: string;
  setup: () => Promise<unknown>;
  act: (subject: never) => Promise<unknown>;
  kept: (subject: never) => Promise<boolean>;
}[] = [
  {
    name: 'consentRepository.appendConsentEvent',
    event: 'contact.opted_in',
    setup: async () => (await makeContact(db().pool)).id,
    act: (contactId: string) => consentRepository(db().pool).appendConsentEvent(grant(contactId)),
    kept: async (contactId: string) => (await consentRepository(db().pool).listConsentEvents(contactId)).length > 0,
  },
  {
    name: 'consentRepository.appendConsentEvents',
    event: 'contact.opted_in',
    setup: async () => (await makeContact(db().pool)).id,
    act: (contactId: string) => consentRepository(db().pool).appendConsentEvents([grant(contactId), grant(contactId)]),
    kept: async (contactId: string) => (await consentRepository(db().pool).listConsentEvents(contactId)).length > 0,
  },
  {
    name: 'runRepository.saveStep',
    event: 'run.finished',
    setup: activeRun,
    act: ({ runId }: { runId: string }) => runRepository(db().pool).saveStep(runId, { value: 'done' }, 'done'),
    kept: async ({ runId }: { runId: string }) => (await runStatus(runId)) === 'done',
  },
  {
    name: 'runRepository.stopActiveRuns',
    event: 'run.finished',
    setup: activeRun,
    act: ({ contactId }: { contactId: string }) => runRepository(db().pool).stopActiveRuns(contactId, 'stop'),
    kept: async ({ runId }: { runId: string }) => (await runStatus(runId)) === 'stopped',
  },
  {
    name: 'StepWrites.flush',
    event: 'run.finished',
    setup: activeRun,
    act: ({ runId }: { runId: string }) => {
      const w = new StepWrites();
      w.runRead(runId, 0, 'active');
      w.runReached(runId, { value: 'done' }, 'done', 1);
      return w.flush(db().pool);
    },
    kept: async ({ runId }: { runId: string }) => (await runStatus(runId)) === 'done',
  },
  {
    name: 'verificationRepository.markVerified',
    event: 'identity.verified',
    setup: verification,
    act: (id: string) => verificationRepository(db().pool).markVerified(id),
    kept: async (id: string) => (await column('verifications', id, 'status')) === 'verified',
  },
  {
    name: 'verificationRepository.markFailed',
    event: 'identity.failed',
    setup: verification,
    act: (id: string) => verificationRepository(db().pool).markFailed(id, 0),
    kept: async (id: string) => (await column('verifications', id, 'status')) === 'failed',
  },
  {
    name: 'paymentRepository.markPaid',
    event: 'payment.succeeded',
    setup: payment,
    act: (id: string) => paymentRepository(db().pool).markPaid(id, new Date('2026-03-10T15:00:00Z'), { cvc: 'pass' }),
    kept: async (id: string) => (await column('payments', id, 'status')) === 'paid',
  },
  {
    name: 'paymentRepository.markFailed',
    event: 'payment.failed',
    setup: payment,
    act: (id: string) => paymentRepository(db().pool).markFailed(id, 'card declined', {}),
    kept: async (id: string) => (await column('payments', id, 'status')) === 'failed',
  },
  {
    name: 'messageRepository.updateDeliveryStatus',
    event: 'message.delivered',
    setup: () => outboundText('sent'),
    act: ({ providerSid }: { providerSid: string }) =>
      messageRepository(db().pool).updateDeliveryStatus({ providerSid, status: 'delivered' }),
    kept: async ({ providerSid }: { providerSid: string }) =>
      (await q('select status from messages where provider_sid = $1', [providerSid])).rows[0].status === 'delivered',
  },
  {
    name: 'messageRepository.markFailed (the engine fails a send)',
    event: 'message.failed',
    setup: () => outboundText('sending'),
    act: ({ effectId }: { effectId: string }) => messageRepository(db().pool).markFailed(effectId, 'provider refused the number'),
    kept: async ({ effectId }: { effectId: string }) =>
      (await q('select status from messages where effect_id = $1', [effectId])).rows[0].status === 'failed',
  },
];

describe('the outbox: a change given the pool commits with its outbound event, or not at all', () => {
  for (const c of cases) {
    it(`${c.name}: not kept when its ${c.event} event cannot be stored; both kept otherwise`, async () => {
      const failing = (await c.setup()) as never;
      const before = await events(c.event);
      await outboxDown(true);
      try {
        await expect(c.act(failing)).rejects.toThrow('outbox down');
      } finally {
        await outboxDown(false);
      }
      expect(await c.kept(failing)).toBe(false);
      expect(await events(c.event)).toBe(before);

      const working = (await c.setup()) as never;
      await c.act(working);
      expect(await c.kept(working)).toBe(true);
      expect(await events(c.event)).toBeGreaterThan(before);
    });
  }
});

describe('atomically over a client', () => {
  it('opens its own transaction on a client outside one: the change is not kept when its event fails', async () => {
    const contactId = (await makeContact(db().pool)).id;
    const client = await db().pool.connect();
    try {
      await outboxDown(true);
      await expect(consentRepository(client).appendConsentEvent(grant(contactId))).rejects.toThrow('outbox down');
      await outboxDown(false);
      // The client is usable again (its transaction was rolled back, not left open).
      expect(client.getTransactionStatus()).toBe('I');
      expect(await consentRepository(client).listConsentEvents(contactId)).toEqual([]);
    } finally {
      await outboxDown(false);
      client.release();
    }
  });

  it("joins the caller's transaction on a client inside one: the caller's rollback takes the change and its event", async () => {
    const { runId } = await activeRun();
    const before = await events('run.finished');
    await expect(
      withTransaction(db().pool, async (tx) => {
        await runRepository(tx).saveStep(runId, { value: 'done' }, 'done');
        expect(tx.getTransactionStatus()).toBe('T');
        throw new Error('the caller gives up');
      }),
    ).rejects.toThrow('the caller gives up');
    expect(await runStatus(runId)).toBe('active');
    expect(await events('run.finished')).toBe(before);
  });
});
