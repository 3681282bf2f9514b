import { Logger, runMigrations, runOnce } from 'graphile-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFor } from '@/lib/auth/testing/actors';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import { consentRepository } from '@/lib/db/consent-repository';
import { approvedActiveVersion, makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { InMemorySandboxOutbox } from '@/lib/providers/sandbox/sandbox-outbox';
import { SandboxMessagingProvider } from '@/lib/providers/sandbox/sandbox-messaging-provider';
import { FlowEngine } from '@/lib/runtime/engine';
import { createWebhookEndpoint } from './endpoint-service';
import { startReceiver, type Receiver } from './testing/receiver';

// The runtime's own commits write the events: a run started and finished by the engine, a delivery status from the
// provider's callback; the engine's graphile-worker task delivers them, in the run's order, to a real receiver.
const db = useTestDatabase();
const quiet = new Logger(() => () => {});
let receiver: Receiver;

const REMINDER = {
  schemaVersion: 1,
  id: 'reminder',
  name: 'Reminder',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'remind',
      type: 'message.send',
      data: { purpose: 'informational', body: 'Acme Dental: see you tomorrow. Reply STOP to opt out.' },
    },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'remind' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'remind', sourceHandle: 'sent', target: 'done' },
    { id: 'e5', source: 'remind', sourceHandle: 'failed', target: 'done' },
  ],
};

beforeAll(async () => {
  await runMigrations({ pgPool: db().pool, logger: quiet });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('events from the runtime', () => {
  it('tells an endpoint a run started, finished with its outcome, and its text was delivered, in that order', async () => {
    const pool = db().pool;
    const offset = Date.parse('2026-03-10T15:00:00Z') - Date.now(); // 11:00 in New York
    const clock = () => new Date(Date.now() + offset);
    const outbox = new InMemorySandboxOutbox();
    const messaging = new SandboxMessagingProvider({ outbox, secret: 'sandbox-secret', publicUrl: 'http://localhost:3000', clock });
    const engine = new FlowEngine({
      pool,
      messaging,
      appSecret: TEST_APP_SECRET,
      clock,
      outboundWebhooks: { policy: { requireHttps: false, allowPrivate: true }, timeoutMs: 2_000 },
    });
    const work = () => runOnce({ pgPool: pool, taskList: engine.taskList(), concurrency: 1, noHandleSignals: true, logger: quiet });
    const { endpoint } = await createWebhookEndpoint(
      { pool, cipher: createFieldCipher(TEST_APP_SECRET), policy: { requireHttps: false, allowPrivate: true }, clock },
      actorFor('admin'),
      { url: receiver.url, description: '', eventTypes: ['run.started', 'run.finished', 'message.delivered'], includePhone: false },
    );
    const version = await approvedActiveVersion(pool, REMINDER, 'reminder');
    const phone = uniquePhone();
    const contact = await makeContact(pool, { phone, zone: 'America/New_York' });
    await consentRepository(pool).appendConsentEvent({
      contactId: contact.id,
      action: 'grant',
      purpose: 'informational',
      source: 'import',
      channel: 'paper',
      textShown: 'Signed consent form',
      recordedBy: 'test',
      occurredAt: new Date('2026-01-01T00:00:00Z'),
    });

    const { runId } = await engine.startRun({ flowVersionId: version.id, contactId: contact.id });
    await work();
    expect(outbox.list(phone).map((m) => m.body)).toEqual(['Acme Dental: see you tomorrow. Reply STOP to opt out.']);
    const sent = await pool.query<{ provider_sid: string }>('select provider_sid from messages where run_id = $1', [runId]);
    expect(await engine.receiveStatus({ providerId: sent.rows[0]!.provider_sid, status: 'delivered' })).toEqual({ outcome: 'updated' });
    await work();

    const got = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    expect(got.map((e) => e.type)).toEqual(['run.started', 'run.finished', 'message.delivered']);
    expect(got[0]!.data).toEqual({ runId, contactId: contact.id, flowVersionId: version.id });
    expect(got[1]!.data).toEqual({ runId, contactId: contact.id, outcome: 'done' });
    expect(got[2]!.data).toMatchObject({ runId, contactId: contact.id, status: 'delivered' });
    expect(receiver.received.map((r) => r.body).join('')).not.toContain(phone);
    const log = await pool.query('select status from webhook_deliveries where endpoint_id = $1', [endpoint.id]);
    expect(log.rows.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
  });
});
