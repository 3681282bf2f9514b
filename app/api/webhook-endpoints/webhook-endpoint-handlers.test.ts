import { beforeEach, describe, expect, it } from 'vitest';
import type { Authenticate, Role } from '@/lib/access/roles';
import { signedInAs } from '@/lib/auth/testing/actors';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import { consentRepository } from '@/lib/db/consent-repository';
import { withTransaction } from '@/lib/db/queryable';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { apiRequest } from '@/lib/http/testing/api-request';
import {
  deletedWebhookEndpointResponse,
  listWebhookEndpointsResponse,
  redeliveryResponse,
  webhookDeliveryLogResponse,
  webhookEndpointHandlers,
  webhookEndpointResponse,
  webhookEndpointWithSecretResponse,
} from './webhook-endpoint-handlers';

const db = useTestDatabase();
const cipher = createFieldCipher(TEST_APP_SECRET);
beforeEach(async () => {
  await db().pool.query('delete from webhook_endpoints; delete from webhook_events');
});

// Production's URL policy: https only, no private target.
const as = (who: Role | null | Authenticate) =>
  webhookEndpointHandlers(async () => ({
    pool: db().pool,
    authenticate: typeof who === 'function' ? who : signedInAs(who),
    service: { cipher, policy: { requireHttps: true, allowPrivate: false }, clock: () => new Date('2026-03-01T12:00:00Z') },
  }));
const url = (path = '') => `http://localhost:3000/api/webhook-endpoints${path}`;
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const good = { url: 'https://crm.example.com/optline', description: 'CRM', eventTypes: ['run.finished', 'contact.opted_out'] };

describe('webhook endpoints API', () => {
  it('lets an admin register, read, change, rotate and delete an endpoint; every answer matches its exported schema', async () => {
    const h = as('admin');
    const created = await h.create(apiRequest(url(), { body: good }));
    expect(created.status).toBe(201);
    const { endpoint, secret } = webhookEndpointWithSecretResponse.parse(await created.json());
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: good.url, includePhone: false, enabled: true, eventTypes: good.eventTypes });

    const listed = listWebhookEndpointsResponse.parse(await (await h.list(apiRequest(url()))).json());
    expect(listed.endpoints).toHaveLength(1);
    expect(listed.endpoints[0]!.deliveries).toEqual({ pending: 0, delivered: 0, failed: 0 });
    expect(listed.eventTypes).toContain('payment.succeeded');
    // The secret is shown once: never in a later answer, and stored only encrypted.
    expect(JSON.stringify(listed)).not.toContain(secret);
    const stored = await db().pool.query('select secret_ciphertext from webhook_endpoints');
    expect(Buffer.from(stored.rows[0].secret_ciphertext).toString('latin1')).not.toContain(secret.slice(6, 20));

    const one = await h.get(apiRequest(url(`/${endpoint.id}`)), ctx({ id: endpoint.id }));
    expect(webhookEndpointResponse.parse(await one.json()).endpoint.id).toBe(endpoint.id);

    const changed = await h.update(
      apiRequest(url(`/${endpoint.id}`), { method: 'PATCH', body: { includePhone: true, eventTypes: ['payment.failed'] } }),
      ctx({ id: endpoint.id }),
    );
    expect(webhookEndpointResponse.parse(await changed.json()).endpoint).toMatchObject({
      includePhone: true,
      eventTypes: ['payment.failed'],
    });

    const rotated = webhookEndpointWithSecretResponse.parse(
      await (await h.rotateSecret(apiRequest(url(`/${endpoint.id}/rotate-secret`), { method: 'POST' }), ctx({ id: endpoint.id }))).json(),
    );
    expect(rotated.secret).not.toBe(secret);

    const deleted = await h.remove(apiRequest(url(`/${endpoint.id}`), { method: 'DELETE' }), ctx({ id: endpoint.id }));
    expect(deletedWebhookEndpointResponse.parse(await deleted.json())).toEqual({ deleted: true });
    expect((await h.get(apiRequest(url(`/${endpoint.id}`)), ctx({ id: endpoint.id }))).status).toBe(404);

    const audit = await db().pool.query("select action from audit_log where subject_type = 'webhook_endpoint' order by id");
    expect(audit.rows.map((r) => r.action)).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.changed',
      'webhook_endpoint.secret_rotated',
      'webhook_endpoint.deleted',
    ]);
  });

  it('is the admin’s and the owner’s alone', async () => {
    for (const role of ['editor', 'developer', 'reviewer'] as const) {
      expect((await as(role).list(apiRequest(url()))).status).toBe(403);
      expect((await as(role).create(apiRequest(url(), { body: good }))).status).toBe(403);
    }
    expect((await as(null).list(apiRequest(url()))).status).toBe(401);
    expect((await as('owner').list(apiRequest(url()))).status).toBe(200);
  });

  it('names what is wrong in a bad request (4xx, never a 500)', async () => {
    const h = as('admin');
    const problem = async (res: Response) => ({ status: res.status, error: (await res.json()).error });
    expect(await problem(await h.create(apiRequest(url(), { body: { ...good, eventTypes: ['run.exploded'] } })))).toMatchObject({
      status: 400,
      error: { code: 'validation_failed' },
    });
    expect(await problem(await h.create(apiRequest(url(), { body: { ...good, eventTypes: [] } })))).toMatchObject({
      status: 400,
      error: { details: [{ path: 'eventTypes' }] },
    });
    expect(await problem(await h.create(apiRequest(url(), { body: { ...good, url: 'http://crm.example.com/x' } })))).toMatchObject({
      status: 400,
      error: { path: 'url', message: expect.stringContaining('https') },
    });
    expect(await problem(await h.create(apiRequest(url(), { body: { ...good, url: 'https://169.254.169.254/latest' } })))).toMatchObject({
      status: 400,
      error: { path: 'url', message: expect.stringContaining('link-local') },
    });
    expect(await problem(await h.create(apiRequest(url(), { body: { ...good, secret: 'mine' } })))).toMatchObject({ status: 400 });
    expect((await h.get(apiRequest(url('/nope')), ctx({ id: 'nope' }))).status).toBe(400);
    expect((await h.update(apiRequest(url('/x'), { method: 'PATCH', body: {} }), ctx({ id: crypto.randomUUID() }))).status).toBe(400);
    const missing = crypto.randomUUID();
    expect((await h.update(apiRequest(url('/x'), { method: 'PATCH', body: { enabled: true } }), ctx({ id: missing }))).status).toBe(404);
    expect((await h.deliveries(apiRequest(url(`/${missing}/deliveries?limit=9999`)), ctx({ id: missing }))).status).toBe(400);
  });

  it('shows the delivery log and queues a redelivery', async () => {
    const h = as('admin');
    const { endpoint } = webhookEndpointWithSecretResponse.parse(
      await (await h.create(apiRequest(url(), { body: { ...good, eventTypes: ['contact.opted_out'] } }))).json(),
    );
    const contact = await makeContact(db().pool);
    await withTransaction(db().pool, (tx) =>
      consentRepository(tx).appendConsentEvent({
        contactId: contact.id,
        action: 'revoke',
        source: 'keyword',
        channel: 'sms',
        reply: 'STOP',
        recordedBy: 'system',
        occurredAt: new Date('2026-03-01T11:00:00Z'),
      }),
    );
    const log = webhookDeliveryLogResponse.parse(
      await (await h.deliveries(apiRequest(url(`/${endpoint.id}/deliveries`)), ctx({ id: endpoint.id }))).json(),
    );
    expect(log.deliveries).toMatchObject([{ status: 'pending', attempts: 0, eventType: 'contact.opted_out', nextAttemptAt: null }]);
    const again = await h.redeliver(
      apiRequest(url(`/${endpoint.id}/deliveries/${log.deliveries[0]!.id}/redeliver`), { method: 'POST' }),
      ctx({ id: endpoint.id, deliveryId: log.deliveries[0]!.id }),
    );
    expect(again.status).toBe(202);
    const { delivery } = redeliveryResponse.parse(await again.json());
    expect(delivery.eventId).toBe(log.deliveries[0]!.eventId);
    const other = crypto.randomUUID();
    expect((await h.redeliver(apiRequest(url('/x'), { method: 'POST' }), ctx({ id: endpoint.id, deliveryId: other }))).status).toBe(404);
  });
});
