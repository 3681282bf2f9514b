import { Logger, runOnce } from 'graphile-worker';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import payByText from '@/workflows/pay-by-text.json';
import { runRepository } from '@/lib/db/run-repository';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { InMemorySandboxOutbox } from '@/lib/providers/sandbox/sandbox-outbox';
import { SandboxMessagingProvider } from '@/lib/providers/sandbox/sandbox-messaging-provider';
import { StripePaymentProvider } from '@/lib/providers/stripe/stripe-payment-provider';
import { startRecordingServer, type RecordedRequest, type RecordingServer } from '@/lib/providers/testing/recording-server';
import { FlowEngine } from '@/lib/runtime/engine';
import type { Services } from '@/lib/runtime/services';
import { activeVersion } from '@/lib/runtime/testing/engine-harness';
import { paymentHandlers } from './payment-handlers';

/*
 * Pay by text with the real Stripe adapter (the official SDK aimed at a
 * loopback server that answers as Stripe's API does; nothing leaves the
 * machine), on real Postgres, through the webhook handler with events signed
 * by `stripe.webhooks.generateTestHeaderString`.
 */

const db = useTestDatabase();
const PUBLIC_URL = 'https://optline.example.com';
const WEBHOOK_SECRET = 'whsec_optline_e2e_secret_0123456789';
const DAY = 24 * 3_600_000;
const VARS = { amount_due: '42.50', invoice_number: 'INV-9', office_phone: '(555) 010-0100' };

let stripeApi: RecordingServer;
let versionId: string;
/** Checkout Sessions the loopback "Stripe" created, by id (one per Idempotency-Key, as Stripe keeps them). */
const sessions = new Map<string, Record<string, unknown>>();
/** The postal-code check the next charge reports. */
let postalCheck: 'pass' | 'fail' | 'unavailable' = 'pass';

function stripeAnswer(req: RecordedRequest) {
  if (req.method === 'POST' && req.path === '/v1/checkout/sessions') {
    const key = String(req.headers['idempotency-key']);
    const existing = [...sessions.values()].find((s) => s.idempotencyKey === key);
    if (existing) return { status: 200, body: existing.session };
    const id = `cs_test_${String(sessions.size + 1).padStart(24, '0')}`;
    const metadata = Object.fromEntries(
      Object.entries(req.form)
        .filter(([k]) => k.startsWith('metadata['))
        .map(([k, v]) => [k.slice(9, -1), v]),
    );
    const session = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      payment_intent: null,
      amount_total: Number(req.form['line_items[0][price_data][unit_amount]']),
      currency: req.form['line_items[0][price_data][currency]'],
      client_reference_id: req.form.client_reference_id,
      expires_at: Number(req.form.expires_at),
      metadata,
      url: `https://checkout.stripe.com/c/pay/${id}`,
    };
    sessions.set(id, { idempotencyKey: key, session });
    return { status: 200, body: session };
  }
  const intent = /^\/v1\/payment_intents\/(pi_\w+)$/.exec(req.path);
  if (req.method === 'GET' && intent) {
    return {
      status: 200,
      body: {
        id: intent[1],
        object: 'payment_intent',
        status: 'succeeded',
        amount: 4250,
        currency: 'usd',
        metadata: {},
        latest_charge: {
          id: 'ch_test_1',
          object: 'charge',
          paid: true,
          payment_method_details: {
            type: 'card',
            card: { brand: 'visa', last4: '4242', checks: { address_postal_code_check: postalCheck, cvc_check: 'pass' } },
          },
        },
      },
    };
  }
  if (req.method === 'POST' && req.path === '/v1/refunds')
    return { status: 200, body: { id: `re_test_${stripeApi.requests.length}`, object: 'refund', status: 'succeeded' } };
  return { status: 404, body: { error: { type: 'invalid_request_error', message: `no route ${req.method} ${req.path}` } } };
}

beforeAll(async () => {
  stripeApi = await startRecordingServer(stripeAnswer);
  await db().pool.query(`update settings set brand = 'Acme Dental'`);
  versionId = await activeVersion(db().pool, payByText, 'pay-by-text-stripe');
});
afterAll(() => stripeApi.close());

/** Optline with Stripe for payments and the sandbox for texts; the clock is the test's. */
function optline() {
  let offset = Date.parse('2026-03-10T15:00:00Z') - Date.now(); // 10:00 in Chicago
  const clock = () => new Date(Date.now() + offset);
  const pool = db().pool;
  const outbox = new InMemorySandboxOutbox();
  const messaging = new SandboxMessagingProvider({ outbox, secret: 'sandbox-secret', publicUrl: PUBLIC_URL, clock });
  const client = new Stripe('sk_test_optline_e2e', { host: stripeApi.host, port: stripeApi.port, protocol: 'http', maxNetworkRetries: 0 });
  const payments = new StripePaymentProvider({ client, webhookSecret: WEBHOOK_SECRET, clock });
  const engine = new FlowEngine({ pool, messaging, payments, publicUrl: PUBLIC_URL, appSecret: TEST_APP_SECRET, clock });
  const services: Services = {
    pool,
    env: parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, PUBLIC_URL }),
    providers: { messaging, payments, sandbox: {} },
    engine,
    clock,
  };
  const logger = new Logger(() => () => {});
  return {
    pool,
    engine,
    clock,
    handlers: paymentHandlers(
      async () => services,
      () => undefined,
    ),
    work: () => runOnce({ pgPool: pool, taskList: engine.taskList(), concurrency: 1, noHandleSignals: true, logger }),
    async pass(ms: number) {
      offset += ms;
      await pool.query(`update graphile_worker._private_jobs set run_at = run_at - make_interval(secs => $1::double precision / 1000)`, [
        ms,
      ]);
    },
    texts: (to: string) => outbox.list(to).map((m) => m.body),
  };
}

/** A Chicago contact in pay-by-text, through the notice and the ZIP check: the Stripe link is out. */
async function atPaymentLink() {
  const o = optline();
  const phone = uniquePhone();
  const contact = await makeContact(o.pool, { phone, zip: '60601', zone: 'America/Chicago' });
  const { runId } = await o.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: VARS });
  await o.work();
  await o.pass(3 * DAY);
  await o.work();
  await o.engine.receiveInbound({ providerId: `SMstripe${runId.replace(/-/g, '')}`, from: phone, body: '60601' });
  await o.work();
  const { rows } = await o.pool.query('select * from payments where run_id = $1', [runId]);
  return { ...o, phone, runId, payment: rows[0] as Record<string, unknown> };
}

/** A Stripe event about a Checkout Session, as Stripe posts it to the webhook. */
function sessionEvent(o: { clock: () => Date }, eventId: string, type: string, sessionId: string, overrides: Record<string, unknown> = {}) {
  const session = { ...(sessions.get(sessionId)!.session as object), ...overrides };
  const body = JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(o.clock().getTime() / 1000),
    data: { object: session },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: WEBHOOK_SECRET,
    timestamp: Math.floor(o.clock().getTime() / 1000),
  });
  return { body, signature };
}

const post = (body: string, signature: string | null) =>
  new Request(`${PUBLIC_URL}/api/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
    body,
  });

async function paymentEvents(
  pool: { query: (sql: string, p: unknown[]) => Promise<{ rows: { n: number }[] }> },
  runId: string,
): Promise<number> {
  return (await pool.query(`select count(*)::int as n from run_events where run_id = $1 and kind = 'payment'`, [runId])).rows[0]!.n;
}

describe('pay by text through Stripe Checkout and the Stripe webhook', () => {
  it('creates the Checkout Session with the effect id as Idempotency-Key and the run in its metadata, and texts Optline’s own link', async () => {
    const s = await atPaymentLink();
    const created = stripeApi.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.form.client_reference_id === s.runId);
    expect(created).toHaveLength(1);
    const req = created[0]!;
    expect(req.headers['idempotency-key']).toBe(s.payment.effect_id);
    expect(req.form).toMatchObject({
      'metadata[runId]': s.runId,
      'metadata[effectId]': s.payment.effect_id,
      // The flow's expiresIn (P3D) from the send, on 2026-03-13 at about 15:00 UTC.
      'metadata[linkExpiresAt]': expect.stringMatching(/^2026-03-16T15:0\d:/),
      'line_items[0][price_data][unit_amount]': '4250',
      'line_items[0][price_data][product_data][name]': 'Acme Dental invoice INV-9',
    });
    expect(s.payment).toMatchObject({
      provider: 'stripe',
      status: 'pending',
      amount_minor: '4250',
      checkout_url: `https://checkout.stripe.com/c/pay/${s.payment.provider_session_id}`,
    });
    // The text carries Optline's short link, never Stripe's page address.
    expect(s.texts(s.phone).at(-1)).toMatch(
      new RegExp(`^Thank you\\. Pay securely here: ${PUBLIC_URL}/pay/[A-Za-z0-9_-]{43} \\(the link works for 3 days\\)`),
    );
    expect(s.texts(s.phone).join('\n')).not.toContain('checkout.stripe.com');

    // Opening that link goes on to Stripe's hosted page.
    const token = /\/pay\/([A-Za-z0-9_-]{43})/.exec(s.texts(s.phone).at(-1)!)![1]!;
    const opened = await s.handlers.payPage(new Request(`${PUBLIC_URL}/pay/${token}`), { params: Promise.resolve({ token }) });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(s.payment.checkout_url);
  }, 30_000);

  it('refuses a tampered or unsigned event with a 400 and stores nothing, then pays once on the signed one and treats its replay as done', async () => {
    const s = await atPaymentLink();
    const sessionId = String(s.payment.provider_session_id);
    const paid = sessionEvent(s, `evt_paid_${sessionId}`, 'checkout.session.completed', sessionId, {
      status: 'complete',
      payment_status: 'paid',
      payment_intent: 'pi_test_paid',
    });
    const apiCallsBefore = stripeApi.requests.length;

    const tampered = await s.handlers.webhook(post(paid.body.replace('"amount_total":4250', '"amount_total":1'), paid.signature));
    expect(tampered.status).toBe(400);
    expect((await tampered.json()).error.code).toBe('bad_request');
    const foreign = Stripe.webhooks.generateTestHeaderString({
      payload: paid.body,
      secret: 'whsec_someone_else',
      timestamp: Math.floor(s.clock().getTime() / 1000),
    });
    expect((await s.handlers.webhook(post(paid.body, foreign))).status).toBe(400);
    expect((await s.handlers.webhook(post(paid.body, null))).status).toBe(400);
    // Nothing stored, nothing asked of Stripe, the run still waits.
    expect(await paymentEvents(s.pool, s.runId)).toBe(0);
    expect(stripeApi.requests.length).toBe(apiCallsBefore);
    expect((await s.pool.query('select status from payments where run_id = $1', [s.runId])).rows[0].status).toBe('pending');

    const first = await s.handlers.webhook(post(paid.body, paid.signature));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, outcome: 'paid' });
    await s.work();
    expect(s.texts(s.phone).at(-1)).toMatch(
      /^Acme Dental: payment of \$42\.50 received\. Thank you! Your receipt: https:\/\/optline\.example\.com\/pay\/receipt\/[0-9a-f-]{36}$/,
    );
    expect((await runRepository(s.pool).getRun(s.runId))?.status).toBe('done');
    const settled = (await s.pool.query('select status, verification from payments where run_id = $1', [s.runId])).rows[0];
    expect(settled).toEqual({ status: 'paid', verification: { cardChecks: { postalCode: 'pass', cvc: 'pass' } } });

    // Stripe retries the delivery: 200, and no second effect.
    const textsBefore = s.texts(s.phone).length;
    const replay = await s.handlers.webhook(post(paid.body, paid.signature));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: 'settled' });
    await s.work();
    expect(s.texts(s.phone)).toHaveLength(textsBefore);
    expect(await paymentEvents(s.pool, s.runId)).toBe(1);
    expect(
      (await s.pool.query('select count(*)::int as n from messages where run_id = $1 and direction = $2', [s.runId, 'outbound'])).rows[0].n,
    ).toBe(textsBefore);
  }, 30_000);

  it('takes the failed path with the reason when Stripe reports a failed postal-code check', async () => {
    const s = await atPaymentLink();
    const sessionId = String(s.payment.provider_session_id);
    postalCheck = 'fail';
    try {
      const paid = sessionEvent(s, `evt_zipfail_${sessionId}`, 'checkout.session.completed', sessionId, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: 'pi_test_zipfail',
      });
      const res = await s.handlers.webhook(post(paid.body, paid.signature));
      expect(await res.json()).toEqual({ received: true, outcome: 'failed' });
    } finally {
      postalCheck = 'pass';
    }
    await s.work();
    const p = (await s.pool.query('select status, failure_reason, verification from payments where run_id = $1', [s.runId])).rows[0];
    expect(p).toMatchObject({
      status: 'failed',
      failure_reason: 'postal code check failed',
      verification: { cardChecks: { postalCode: 'fail', cvc: 'pass' } },
    });
    expect(s.texts(s.phone).at(-1)).toContain('your payment did not go through');
  }, 30_000);

  it('records an unavailable postal-code check on the payment and still pays', async () => {
    const s = await atPaymentLink();
    const sessionId = String(s.payment.provider_session_id);
    postalCheck = 'unavailable';
    try {
      const paid = sessionEvent(s, `evt_zipna_${sessionId}`, 'checkout.session.completed', sessionId, {
        status: 'complete',
        payment_status: 'paid',
        payment_intent: 'pi_test_zipna',
      });
      expect(await (await s.handlers.webhook(post(paid.body, paid.signature))).json()).toEqual({ received: true, outcome: 'paid' });
    } finally {
      postalCheck = 'pass';
    }
    const p = (await s.pool.query('select status, verification from payments where run_id = $1', [s.runId])).rows[0];
    expect(p).toEqual({ status: 'paid', verification: { cardChecks: { postalCode: 'unavailable', cvc: 'pass' } } });
  }, 30_000);
});
