import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actorFor } from '@/lib/auth/testing/actors';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import { consentRepository } from '@/lib/db/consent-repository';
import { withTransaction } from '@/lib/db/queryable';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { webhookDeliveryRepository } from '@/lib/db/webhook-delivery-repository';
import { webhookEndpointRepository } from '@/lib/db/webhook-endpoint-repository';
import { parseEnv } from '@/lib/env';
import type { OutboundEventType } from '@/lib/outbound-events/event-types';
import { RETRY_WINDOW_MS } from '@/lib/outbound-events/retry-schedule';
import { startWorker } from '@/lib/runtime/worker';
import { deliverChain, type DeliveryDeps } from './deliver-chain';
import { createWebhookEndpoint, redeliverWebhook, rotateWebhookSecret, updateWebhookEndpoint } from './endpoint-service';
import { postWebhook, type Resolve } from './http-delivery';
import { startReceiver, type Receiver } from './testing/receiver';

// Outbound webhooks end to end against Postgres and a real HTTP receiver on 127.0.0.1 (allowed by the development setting
// where a test says so; refused otherwise). The clock is the test's: each delivery is driven by `deliverChain` at a given now.
const db = useTestDatabase();
const cipher = createFieldCipher(TEST_APP_SECRET);
const admin = actorFor('admin');
const local = { requireHttps: false, allowPrivate: true };
const strict = { requireHttps: true, allowPrivate: false };
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.answer(() => 204);
  await db().pool.query('delete from webhook_endpoints; delete from webhook_events');
});

function deps(now: () => Date, overrides: Partial<DeliveryDeps> = {}): DeliveryDeps {
  return { pool: db().pool, cipher, clock: now, policy: local, timeoutMs: 2_000, ...overrides };
}

async function register(eventTypes: OutboundEventType[], extra: { includePhone?: boolean; url?: string } = {}) {
  return createWebhookEndpoint({ pool: db().pool, cipher, policy: local, clock: () => new Date() }, admin, {
    url: extra.url ?? receiver.url,
    description: 'CRM',
    eventTypes,
    includePhone: extra.includePhone ?? false,
  });
}

/** A consent change committed the way the ledger commits one: the event is written in its transaction. */
async function consent(contactId: string, action: 'grant' | 'revoke', at = new Date()) {
  await withTransaction(db().pool, (tx) =>
    consentRepository(tx).appendConsentEvent(
      action === 'grant'
        ? { contactId, action, purpose: 'informational', source: 'api', channel: 'api', recordedBy: 'system', occurredAt: at }
        : { contactId, action, source: 'keyword', channel: 'sms', reply: 'STOP', recordedBy: 'system', occurredAt: at },
    ),
  );
}

async function deliveriesOf(endpointId: string) {
  return webhookDeliveryRepository(db().pool).log(endpointId, { limit: 100 });
}

describe('a delivery', () => {
  it('is signed per Standard Webhooks: the library’s own verifier accepts it, and the payload holds ids, not the phone', async () => {
    const { endpoint, secret } = await register(['contact.opted_out']);
    expect(secret).toMatch(/^whsec_/);
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'revoke');
    await deliverChain(
      deps(() => new Date()),
      { endpointId: endpoint.id, orderKey: `contact:${contact.id}` },
    );

    expect(receiver.received).toHaveLength(1);
    const [got] = receiver.received;
    const headers = {
      'webhook-id': String(got!.headers['webhook-id']),
      'webhook-timestamp': String(got!.headers['webhook-timestamp']),
      'webhook-signature': String(got!.headers['webhook-signature']),
    };
    const verified = new Webhook(secret).verify(got!.body, headers) as { type: string; data: Record<string, unknown> };
    expect(verified.type).toBe('contact.opted_out');
    expect(verified.data).toEqual({ contactId: contact.id, purpose: 'all', source: 'keyword', channel: 'sms', runId: null });
    expect(got!.body).not.toContain(contact.phone);
    // Another secret, or a body changed on the way, fails the same verifier.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got!.body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(got!.body.replace('sms', 'api'), headers)).toThrow();
    const [logged] = await deliveriesOf(endpoint.id);
    expect(logged).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204, eventType: 'contact.opted_out' });
    expect(logged!.eventId).toBe(headers['webhook-id']);
  });

  it('carries the phone number only where the endpoint is allowed it', async () => {
    const { endpoint } = await register(['contact.opted_in'], { includePhone: true });
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'grant');
    await deliverChain(
      deps(() => new Date()),
      { endpointId: endpoint.id, orderKey: `contact:${contact.id}` },
    );
    expect(JSON.parse(receiver.received[0]!.body).data).toMatchObject({ contactId: contact.id, phone: contact.phone });
  });

  it('is never written for a change that rolled back', async () => {
    const { endpoint } = await register(['contact.opted_out']);
    const contact = await makeContact(db().pool);
    await expect(
      withTransaction(db().pool, async (tx) => {
        await consentRepository(tx).appendConsentEvent({
          contactId: contact.id,
          action: 'revoke',
          source: 'keyword',
          channel: 'sms',
          reply: 'STOP',
          recordedBy: 'system',
          occurredAt: new Date(),
        });
        throw new Error('the change fails after the ledger write');
      }),
    ).rejects.toThrow('the change fails');
    expect((await db().pool.query('select count(*)::int as n from webhook_events')).rows[0].n).toBe(0);
    expect(await deliveriesOf(endpoint.id)).toEqual([]);
    await deliverChain(
      deps(() => new Date()),
      { endpointId: endpoint.id, orderKey: `contact:${contact.id}` },
    );
    expect(receiver.received).toHaveLength(0);
  });

  it('is tried again after a 500 and after a timeout, on the schedule computed from now, and the try is logged', async () => {
    const { endpoint } = await register(['contact.opted_out']);
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'revoke');
    const chain = { endpointId: endpoint.id, orderKey: `contact:${contact.id}` };
    const t0 = new Date('2026-03-01T12:00:00Z');
    receiver.answer((_r, n) => (n === 0 ? 500 : n === 1 ? 'hang' : 200));

    await deliverChain(
      deps(() => t0),
      chain,
    );
    let [d] = await deliveriesOf(endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(d!.nextAttemptAt).toEqual(new Date(t0.getTime() + 5_000));

    // Not due yet: nothing is sent.
    await deliverChain(
      deps(() => new Date(t0.getTime() + 4_000)),
      chain,
    );
    expect(receiver.received).toHaveLength(1);

    const t1 = new Date(t0.getTime() + 5_000);
    await deliverChain(
      deps(() => t1, { timeoutMs: 300 }),
      chain,
    );
    [d] = await deliveriesOf(endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 2, lastStatusCode: null, lastError: 'no answer within 300 ms' });
    expect(d!.nextAttemptAt).toEqual(new Date(t1.getTime() + 20_000));

    await deliverChain(
      deps(() => new Date(t1.getTime() + 20_000)),
      chain,
    );
    [d] = await deliveriesOf(endpoint.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(3);
    // Each try carried the same webhook-id: the receiver can drop repeats.
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const tries = await webhookDeliveryRepository(db().pool).attempts(d!.id);
    expect(tries.map((t) => [t.attempt, t.statusCode, t.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, null, 'no answer within 300 ms'],
      [3, 200, null],
    ]);
  });

  it('keeps a run’s (here a contact’s) events in order: a later event waits behind one being retried', async () => {
    const { endpoint } = await register(['contact.opted_in', 'contact.opted_out']);
    const contact = await makeContact(db().pool);
    const other = await makeContact(db().pool);
    await consent(contact.id, 'grant');
    await consent(contact.id, 'revoke');
    await consent(other.id, 'revoke');
    await consent(contact.id, 'grant');
    const chain = { endpointId: endpoint.id, orderKey: `contact:${contact.id}` };
    const t0 = new Date('2026-03-01T12:00:00Z');
    receiver.answer((_r, n) => (n === 0 ? 503 : 204));

    await deliverChain(
      deps(() => t0),
      chain,
    );
    expect(receiver.received).toHaveLength(1);
    // The other contact's chain is not held up by this one.
    await deliverChain(
      deps(() => t0),
      { endpointId: endpoint.id, orderKey: `contact:${other.id}` },
    );
    expect(receiver.received).toHaveLength(2);

    await deliverChain(
      deps(() => new Date(t0.getTime() + 5_000)),
      chain,
    );
    const mine = receiver.received.filter((r) => JSON.parse(r.body).data.contactId === contact.id).map((r) => JSON.parse(r.body).type);
    expect(mine).toEqual(['contact.opted_in', 'contact.opted_in', 'contact.opted_out', 'contact.opted_in']);
    const statuses = (await deliveriesOf(endpoint.id)).map((d) => d.status);
    expect(statuses).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
  });

  it('gives up after 3 days of failures and switches the endpoint off with a notice; switching it on resumes the rest', async () => {
    const { endpoint } = await register(['contact.opted_out', 'contact.opted_in']);
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'revoke');
    await consent(contact.id, 'grant');
    const chain = { endpointId: endpoint.id, orderKey: `contact:${contact.id}` };
    receiver.answer(() => 500);
    let now = new Date('2026-03-01T12:00:00Z');
    const t0 = now;
    for (let i = 0; i < 20; i++) {
      await deliverChain(
        deps(() => now),
        chain,
      );
      const [, first] = await deliveriesOf(endpoint.id); // newest first: the revocation is second
      if (first!.status !== 'pending') break;
      now = first!.nextAttemptAt!;
    }
    expect(now.getTime() - t0.getTime()).toBe(RETRY_WINDOW_MS);
    expect(receiver.received).toHaveLength(14);
    const off = (await webhookEndpointRepository(db().pool).get(endpoint.id))!;
    expect(off.enabled).toBe(false);
    expect(off.disabledReason).toContain('failed 14 tries over 3 days (last: HTTP 500)');
    const audit = await db().pool.query("select actor, details from audit_log where action = 'webhook_endpoint.disabled'");
    expect(audit.rows).toMatchObject([{ actor: 'system' }]);
    const [later, failed] = await deliveriesOf(endpoint.id);
    expect(failed!.status).toBe('failed');
    expect(later!.status).toBe('pending');

    // While it is off nothing goes out; switched on, the waiting delivery goes.
    receiver.answer(() => 204);
    await deliverChain(
      deps(() => now),
      chain,
    );
    expect(receiver.received).toHaveLength(14);
    await updateWebhookEndpoint({ pool: db().pool, cipher, policy: local, clock: () => now }, admin, endpoint.id, { enabled: true });
    await deliverChain(
      deps(() => now),
      chain,
    );
    expect(receiver.received).toHaveLength(15);
    expect(JSON.parse(receiver.received[14]!.body).type).toBe('contact.opted_in');
  });

  it('is sent again on request with the same webhook-id, signed with the current secret', async () => {
    const { endpoint } = await register(['contact.opted_out']);
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'revoke');
    await deliverChain(
      deps(() => new Date()),
      { endpointId: endpoint.id, orderKey: `contact:${contact.id}` },
    );
    const [first] = await deliveriesOf(endpoint.id);
    const service = { pool: db().pool, cipher, policy: local, clock: () => new Date() };
    const { secret } = await rotateWebhookSecret(service, admin, endpoint.id);
    const copy = await redeliverWebhook(service, admin, endpoint.id, first!.id);
    expect(copy.orderKey).toBe(`redelivery:${copy.id}`);
    await deliverChain(
      deps(() => new Date()),
      { endpointId: endpoint.id, orderKey: copy.orderKey },
    );
    expect(receiver.received).toHaveLength(2);
    const again = receiver.received[1]!;
    expect(again.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(again.headers[h])]));
    expect(new Webhook(secret).verify(again.body, headers)).toMatchObject({ type: 'contact.opted_out' });
    expect((await deliveriesOf(endpoint.id)).map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });
});

describe('SSRF', () => {
  const resolveTo =
    (map: Record<string, string[]>): Resolve =>
    async (host) =>
      (map[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const body = '{}';
  const headers = { 'content-type': 'application/json' };

  it('never connects to a name that resolves to 127.0.0.1 (or to any private address among its answers)', async () => {
    const resolve = resolveTo({
      'hooks.example.test': ['127.0.0.1'],
      'mixed.example.test': ['93.184.216.34', '10.0.0.7'],
      'mapped.example.test': ['::ffff:127.0.0.1'],
      'metadata.example.test': ['169.254.169.254'],
    });
    for (const [host, why] of [
      ['hooks.example.test', 'loopback'],
      ['mixed.example.test', 'private'],
      ['mapped.example.test', 'loopback'],
      ['metadata.example.test', 'link-local'],
    ] as const) {
      const result = await postWebhook(`http://${host}:${receiver.port}/hooks`, headers, body, {
        policy: { requireHttps: false, allowPrivate: false },
        resolve,
      });
      expect(result).toMatchObject({ ok: false, refused: true, statusCode: null });
      expect(!result.ok && result.error).toContain(why);
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses loopback literals, localhost names and plain http in production before resolving anything', async () => {
    const resolve: Resolve = async () => {
      throw new Error('must not resolve');
    };
    for (const url of [
      `http://127.0.0.1:${receiver.port}/hooks`,
      `http://[::1]:${receiver.port}/hooks`,
      `http://localhost:${receiver.port}/hooks`,
      `http://receiver.localhost:${receiver.port}/hooks`,
    ]) {
      const result = await postWebhook(url, headers, body, { policy: { requireHttps: false, allowPrivate: false }, resolve });
      expect(result).toMatchObject({ ok: false, refused: true });
    }
    const http = await postWebhook('http://hooks.example.test/x', headers, body, { policy: strict, resolve });
    expect(!http.ok && http.error).toContain('https');
    expect(receiver.received).toHaveLength(0);
  });

  it('connects to the address it checked: the development setting lets a name resolving to 127.0.0.1 through', async () => {
    const resolve = resolveTo({ 'receiver.example.test': ['127.0.0.1'] });
    const result = await postWebhook(`http://receiver.example.test:${receiver.port}/hooks`, headers, body, { policy: local, resolve });
    expect(result).toMatchObject({ ok: true, statusCode: 204 });
    expect(receiver.received[0]!.headers.host).toBe(`receiver.example.test:${receiver.port}`);
  });

  it('refuses to register an endpoint that points at a private target, and logs a refused delivery without connecting', async () => {
    const service = { pool: db().pool, cipher, policy: strict, clock: () => new Date() };
    await expect(
      createWebhookEndpoint(service, admin, {
        url: 'https://127.0.0.1/x',
        description: '',
        eventTypes: ['run.started'],
        includePhone: false,
      }),
    ).rejects.toThrow(/loopback/);
    await expect(
      createWebhookEndpoint(service, admin, {
        url: 'http://hooks.example.com/x',
        description: '',
        eventTypes: ['run.started'],
        includePhone: false,
      }),
    ).rejects.toThrow(/https/);

    const { endpoint } = await createWebhookEndpoint(service, admin, {
      url: `https://rebound.example.test:${receiver.port}/hooks`,
      description: '',
      eventTypes: ['contact.opted_out'],
      includePhone: false,
    });
    const contact = await makeContact(db().pool);
    await consent(contact.id, 'revoke');
    await deliverChain(
      deps(() => new Date(), { policy: strict, resolve: resolveTo({ 'rebound.example.test': ['127.0.0.1'] }) }),
      {
        endpointId: endpoint.id,
        orderKey: `contact:${contact.id}`,
      },
    );
    const [d] = await deliveriesOf(endpoint.id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(d!.lastError).toContain('rebound.example.test resolves to 127.0.0.1 is loopback');
    expect(receiver.received).toHaveLength(0);
  });
});

describe('on graphile-worker', () => {
  it('delivers an event the worker picks up after the change commits', async () => {
    const env = parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: 'on' });
    const runner = await startWorker({ pool: db().pool, env, quiet: true, concurrency: 4 });
    try {
      const { endpoint, secret } = await register(['contact.opted_in']);
      const contact = await makeContact(db().pool);
      await consent(contact.id, 'grant');
      await receiver.waitFor(1);
      const got = receiver.received[0]!;
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(got.headers[h])]));
      expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ type: 'contact.opted_in', data: { contactId: contact.id } });
      await expect.poll(async () => (await deliveriesOf(endpoint.id))[0]?.status).toBe('delivered');
    } finally {
      await runner.stop();
    }
  });
});
