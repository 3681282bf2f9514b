import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import payByText from '@/workflows/pay-by-text.json';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { refundRepository } from '@/lib/db/refund-repository';
import { StripePaymentProvider } from '@/lib/providers/stripe/stripe-payment-provider';
import { startRecordingServer, type RecordingServer } from '@/lib/providers/testing/recording-server';
import { performRefund, recordRefundDue } from './payment-refunds';
import { activeVersion, engineHarness } from './testing/engine-harness';

const database = useTestDatabase();
let server: RecordingServer;
let stripe: StripePaymentProvider;
let paymentId: string;
const NOW = new Date('2026-03-10T15:00:00Z');

beforeAll(async () => {
  server = await startRecordingServer();
  stripe = new StripePaymentProvider({
    client: new Stripe('sk_test_optline', { host: server.host, port: server.port, protocol: 'http', maxNetworkRetries: 0 }),
    webhookSecret: 'whsec_x',
    clock: () => NOW,
  });
  // One real payment row: pay-by-text up to its link.
  const pool = database().pool;
  const versionId = await activeVersion(pool, payByText, 'refunds');
  const t = engineHarness(pool);
  t.at(NOW.toISOString());
  const phone = uniquePhone();
  const contact = await makeContact(pool, { phone, zip: '60601', zone: 'America/Chicago' });
  await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: { amount_due: '10.00' } });
  await t.work();
  await t.pass(3 * 24 * 3_600_000);
  await t.work();
  await t.engine.receiveInbound({ providerId: 'SMrefundzip', from: phone, body: '60601' });
  await t.work();
  paymentId = (await pool.query('select id from payments')).rows[0].id;
});
afterAll(() => server.close());

const deps = () => ({ pool: database().pool, payments: stripe, clock: () => NOW });

describe('performRefund', () => {
  it('refunds once with the refund id as idempotency key, and does nothing for a refund already made', async () => {
    server.respond((req) =>
      req.method === 'GET'
        ? { status: 200, body: { id: 'cs_test_ok', object: 'checkout.session', payment_intent: 'pi_ok' } }
        : { status: 200, body: { id: 're_ok', object: 'refund' } },
    );
    const id = (await recordRefundDue(database().pool, {
      paymentId,
      providerSessionId: 'cs_test_ok',
      reason: 'postal code check failed',
    }))!;
    expect(await recordRefundDue(database().pool, { paymentId, providerSessionId: 'cs_test_ok', reason: 'again' })).toBeUndefined();

    await performRefund(deps(), id);
    await performRefund(deps(), id);

    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key'])).toEqual([`refund:${id}`]);
    expect(await refundRepository(database().pool).get(id)).toMatchObject({ status: 'refunded', providerRefundId: 're_ok', error: null });
  });

  it('throws while the provider is down (the job retries), and records a refusal for an operator', async () => {
    server.respond(() => ({ status: 503, body: { error: { type: 'api_error', message: 'down' } } }));
    const id = (await recordRefundDue(database().pool, {
      paymentId,
      providerSessionId: 'cs_test_later',
      reason: 'paid on a payment link that was already expired',
    }))!;
    await expect(performRefund(deps(), id)).rejects.toMatchObject({ retryable: true });
    expect((await refundRepository(database().pool).get(id))?.status).toBe('due');

    server.respond(() => ({
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such checkout.session' } },
    }));
    await performRefund(deps(), id);
    expect(await refundRepository(database().pool).get(id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('resource_missing'),
    });
  });

  it('refuses to change a refund once it is made', async () => {
    const { rows } = await database().pool.query(`select id from payment_refunds where status = 'refunded' limit 1`);
    await expect(
      database().pool.query(`update payment_refunds set status = 'due', provider_refund_id = null, refunded_at = null where id = $1`, [
        rows[0].id,
      ]),
    ).rejects.toThrow(/is done and cannot change/);
  });
});
