import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, WebhookSignatureError } from '@/lib/providers/errors';
import type { PaymentLinkRequest } from '@/lib/providers/payments';
import { startRecordingServer, type RecordingServer, type Reply } from '@/lib/providers/testing/recording-server';
import { StripePaymentProvider } from './stripe-payment-provider';

const SECRET_KEY = 'sk_test_51Optline0000000000000000000000';
const WEBHOOK_SECRET = 'whsec_optline_test_secret_0123456789';
const NOW = new Date('2026-03-03T14:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const SESSION_ID = 'cs_test_a1B2c3D4e5F6g7H8i9J0';
const INTENT_ID = 'pi_3Optline0000000001';

let server: RecordingServer;
let provider: StripePaymentProvider;

function stripeClient(maxNetworkRetries = 0): Stripe {
  // The real SDK, aimed at the loopback server instead of api.stripe.com.
  return new Stripe(SECRET_KEY, { host: server.host, port: server.port, protocol: 'http', maxNetworkRetries });
}

beforeAll(async () => {
  server = await startRecordingServer();
  provider = new StripePaymentProvider({ client: stripeClient(), webhookSecret: WEBHOOK_SECRET, clock: () => NOW });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const linkRequest: PaymentLinkRequest = {
  effectId: 'run_42:7:0',
  runId: 'run_42',
  amountMinor: 12550,
  currency: 'USD',
  description: 'Invoice 1042 — Sunrise Dental',
  successUrl: 'https://optline.example.com/pay/done',
  cancelUrl: 'https://optline.example.com/pay/cancel',
  expiresAt: new Date('2026-03-06T14:00:00Z'),
  metadata: { invoice: '1042' },
};

const ourMetadata = { invoice: '1042', runId: 'run_42', effectId: 'run_42:7:0', linkExpiresAt: '2026-03-06T14:00:00.000Z' };

/** A Checkout Session as Stripe returns it (https://docs.stripe.com/api/checkout/sessions/object). */
function session(overrides: Record<string, unknown> = {}) {
  return {
    id: SESSION_ID,
    object: 'checkout.session',
    amount_subtotal: 12550,
    amount_total: 12550,
    cancel_url: 'https://optline.example.com/pay/cancel',
    client_reference_id: 'run_42',
    created: NOW_S,
    currency: 'usd',
    customer: null,
    expires_at: NOW_S + 86_100,
    livemode: false,
    metadata: ourMetadata,
    mode: 'payment',
    payment_intent: null,
    payment_status: 'unpaid',
    status: 'open',
    success_url: 'https://optline.example.com/pay/done',
    url: `https://checkout.stripe.com/c/pay/${SESSION_ID}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
    ...overrides,
  };
}

function paymentIntent(
  checks: { address_postal_code_check: string | null; cvc_check: string | null } | null,
  overrides: Record<string, unknown> = {},
) {
  return {
    id: INTENT_ID,
    object: 'payment_intent',
    amount: 12550,
    currency: 'usd',
    metadata: { runId: 'run_42', effectId: 'run_42:7:0', linkExpiresAt: '2026-03-06T14:00:00.000Z' },
    status: 'succeeded',
    last_payment_error: null,
    latest_charge: {
      id: 'ch_3Optline0000000001',
      object: 'charge',
      amount: 12550,
      paid: true,
      payment_method_details: {
        type: 'card',
        card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, checks: checks && { address_line1_check: null, ...checks } },
      },
    },
    ...overrides,
  };
}

function event(type: string, object: unknown, id = 'evt_1Optline000000000001') {
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: NOW_S - 5,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

function signed(payload: string, timestamp = NOW_S - 5, secret = WEBHOOK_SECRET) {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

describe('StripePaymentProvider.createPaymentLink', () => {
  it('creates a Checkout Session with the exact form fields and the effect id as Idempotency-Key', async () => {
    server.respond(() => ({ status: 200, body: session() }));

    const link = await provider.createPaymentLink(linkRequest);

    expect(link).toEqual({ providerId: SESSION_ID, url: session().url, expiresAt: new Date('2026-03-04T13:55:00Z') });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/checkout/sessions');
    expect(req.headers['idempotency-key']).toBe('run_42:7:0');
    expect(req.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.form).toEqual({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '12550',
      'line_items[0][price_data][product_data][name]': 'Invoice 1042 — Sunrise Dental',
      success_url: 'https://optline.example.com/pay/done',
      cancel_url: 'https://optline.example.com/pay/cancel',
      // The 72-hour link is capped at 23 h 55 min: 2026-03-04T13:55:00Z.
      expires_at: String(Date.parse('2026-03-04T13:55:00Z') / 1000),
      client_reference_id: 'run_42',
      'metadata[invoice]': '1042',
      'metadata[runId]': 'run_42',
      'metadata[effectId]': 'run_42:7:0',
      'metadata[linkExpiresAt]': '2026-03-06T14:00:00.000Z',
      'payment_intent_data[metadata][runId]': 'run_42',
      'payment_intent_data[metadata][effectId]': 'run_42:7:0',
      'payment_intent_data[metadata][linkExpiresAt]': '2026-03-06T14:00:00.000Z',
    });
  });

  it('keeps a link expiry inside Stripe’s window and anchors it at the effect’s issue time', async () => {
    server.respond(() => ({ status: 200, body: session() }));

    await provider.createPaymentLink({ ...linkRequest, expiresAt: new Date('2026-03-03T18:00:00Z') });
    await provider.createPaymentLink({ ...linkRequest, issuedAt: new Date('2026-03-03T12:00:00Z') });

    expect(server.requests.map((r) => r.form.expires_at)).toEqual([
      String(Date.parse('2026-03-03T18:00:00Z') / 1000),
      String(Date.parse('2026-03-04T11:55:00Z') / 1000),
    ]);
  });

  it('retries a 500 with the same Idempotency-Key, so Stripe creates one session', async () => {
    const retrying = new StripePaymentProvider({ client: stripeClient(1), webhookSecret: WEBHOOK_SECRET, clock: () => NOW });
    const replies: Reply[] = [
      { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong on Stripe’s end.' } } },
      { status: 200, body: session() },
    ];
    server.respond(() => replies.shift()!);

    const link = await retrying.createPaymentLink(linkRequest);

    expect(link.providerId).toBe(SESSION_ID);
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['run_42:7:0', 'run_42:7:0']);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });

  it('maps Stripe errors to ProviderError: 429 and 5xx retryable, 4xx permanent', async () => {
    const cases: [Reply, object][] = [
      [
        { status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } } },
        { kind: 'rate_limited', retryable: true, status: 429 },
      ],
      [
        { status: 503, body: { error: { type: 'api_error', message: 'Service unavailable' } } },
        { kind: 'unavailable', retryable: true, status: 503 },
      ],
      [
        {
          status: 400,
          body: {
            error: {
              type: 'invalid_request_error',
              code: 'parameter_invalid_integer',
              param: 'line_items[0][price_data][unit_amount]',
              message: 'Invalid integer',
            },
          },
        },
        { kind: 'rejected', retryable: false, status: 400, providerCode: 'parameter_invalid_integer' },
      ],
      [
        {
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          },
        },
        { kind: 'rejected', retryable: false, status: 400, providerCode: 'idempotency_error' },
      ],
      [
        { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_***' } } },
        { kind: 'auth', retryable: false, status: 401 },
      ],
    ];
    for (const [reply, expected] of cases) {
      server.respond(() => reply);
      const error = await provider.createPaymentLink(linkRequest).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ provider: 'stripe', ...expected });
    }
  });

  it('refuses a non-integer amount without calling Stripe', async () => {
    await expect(provider.createPaymentLink({ ...linkRequest, amountMinor: 125.5 })).rejects.toMatchObject({
      kind: 'rejected',
      retryable: false,
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('StripePaymentProvider.parseEvent signatures', () => {
  const body = event('checkout.session.expired', session({ status: 'expired', expires_at: NOW_S - 60 }));

  it('accepts a body signed with the endpoint secret', async () => {
    await expect(provider.parseEvent(body, signed(body), NOW)).resolves.toMatchObject({
      type: 'expired',
      eventId: 'evt_1Optline000000000001',
    });
  });

  it('rejects a tampered body', async () => {
    const tampered = body.replace('"livemode":false', '"livemode":true');
    await expect(provider.parseEvent(tampered, signed(body), NOW)).rejects.toThrow(WebhookSignatureError);
  });

  it('rejects a signature made with another secret', async () => {
    await expect(provider.parseEvent(body, signed(body, NOW_S - 5, 'whsec_someone_else'), NOW)).rejects.toThrow(WebhookSignatureError);
  });

  it('rejects a signature older than five minutes (a replay)', async () => {
    const error = await provider.parseEvent(body, signed(body, NOW_S - 301), NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect((error as Error).message).toBe('stripe webhook signature rejected: Timestamp outside the tolerance zone');
    await expect(provider.parseEvent(body, signed(body, NOW_S - 299), NOW)).resolves.toMatchObject({ type: 'expired' });
  });

  it('rejects a missing or malformed header before reading the body', async () => {
    await expect(provider.parseEvent(body, null, NOW)).rejects.toThrow('stripe webhook signature rejected: no Stripe-Signature header');
    await expect(provider.parseEvent(body, 'garbage', NOW)).rejects.toThrow(WebhookSignatureError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('StripePaymentProvider.parseEvent mapping', () => {
  it('maps a paid session to paid with the charge’s card checks, fetched through the SDK', async () => {
    server.respond(() => ({ status: 200, body: paymentIntent({ address_postal_code_check: 'pass', cvc_check: 'pass' }) }));
    const body = event('checkout.session.completed', session({ status: 'complete', payment_status: 'paid', payment_intent: INTENT_ID }));

    expect(await provider.parseEvent(body, signed(body), NOW)).toEqual({
      type: 'paid',
      eventId: 'evt_1Optline000000000001',
      providerId: SESSION_ID,
      runId: 'run_42',
      effectId: 'run_42:7:0',
      amountMinor: 12550,
      currency: 'usd',
      cardChecks: { postalCode: 'pass', cvc: 'pass' },
    });
    expect(server.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', `/v1/payment_intents/${INTENT_ID}`, { 'expand[0]': 'latest_charge' }],
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
  });

  it('takes the failed path with the reason when the postal code check failed, and says money was captured', async () => {
    server.respond(() => ({ status: 200, body: paymentIntent({ address_postal_code_check: 'fail', cvc_check: 'pass' }) }));
    const body = event('checkout.session.completed', session({ status: 'complete', payment_status: 'paid', payment_intent: INTENT_ID }));

    expect(await provider.parseEvent(body, signed(body), NOW)).toEqual({
      type: 'failed',
      reason: 'postal code check failed',
      final: true,
      captured: true,
      eventId: 'evt_1Optline000000000001',
      providerId: SESSION_ID,
      runId: 'run_42',
      effectId: 'run_42:7:0',
      amountMinor: 12550,
      currency: 'usd',
      cardChecks: { postalCode: 'fail', cvc: 'pass' },
    });
  });

  it('names both checks when postal code and CVC failed', async () => {
    server.respond(() => ({ status: 200, body: paymentIntent({ address_postal_code_check: 'fail', cvc_check: 'fail' }) }));
    const body = event('checkout.session.completed', session({ payment_status: 'paid', payment_intent: INTENT_ID }));
    await expect(provider.parseEvent(body, signed(body), NOW)).resolves.toMatchObject({
      type: 'failed',
      reason: 'postal code and CVC checks failed',
    });
  });

  it('passes unavailable and unchecked through on a paid event (missing checks count as unchecked)', async () => {
    server.respond(() => ({ status: 200, body: paymentIntent({ address_postal_code_check: 'unavailable', cvc_check: null }) }));
    const body = event('checkout.session.completed', session({ payment_status: 'paid', payment_intent: INTENT_ID }));
    await expect(provider.parseEvent(body, signed(body), NOW)).resolves.toMatchObject({
      type: 'paid',
      cardChecks: { postalCode: 'unavailable', cvc: 'unchecked' },
    });
  });

  it('maps a completed session whose payment is still pending to ignored, without calling Stripe', async () => {
    const body = event('checkout.session.completed', session({ status: 'complete', payment_status: 'unpaid', payment_intent: INTENT_ID }));
    expect(await provider.parseEvent(body, signed(body), NOW)).toEqual({
      type: 'ignored',
      eventId: 'evt_1Optline000000000001',
      providerType: 'checkout.session.completed',
      reason: 'payment status is unpaid: waiting for the asynchronous payment',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('maps async_payment_succeeded to paid and async_payment_failed to a final failure', async () => {
    server.respond(() => ({
      status: 200,
      body: {
        ...paymentIntent(null),
        latest_charge: { id: 'ch_1', object: 'charge', payment_method_details: { type: 'us_bank_account', us_bank_account: {} } },
      },
    }));
    const ok = event('checkout.session.async_payment_succeeded', session({ payment_status: 'paid', payment_intent: INTENT_ID }));
    const okEvent = await provider.parseEvent(ok, signed(ok), NOW);
    expect(okEvent).toMatchObject({ type: 'paid', providerId: SESSION_ID });
    expect(okEvent).not.toHaveProperty('cardChecks');

    const ko = event('checkout.session.async_payment_failed', session({ payment_status: 'unpaid', payment_intent: INTENT_ID }));
    expect(await provider.parseEvent(ko, signed(ko), NOW)).toMatchObject({
      type: 'failed',
      reason: 'the asynchronous payment failed',
      final: true,
      captured: false,
      runId: 'run_42',
    });
  });

  it('maps an expired session to expired, final only when the link itself is over', async () => {
    const capped = event('checkout.session.expired', session({ status: 'expired', expires_at: NOW_S - 60 }));
    expect(await provider.parseEvent(capped, signed(capped), NOW)).toEqual({
      type: 'expired',
      final: false,
      eventId: 'evt_1Optline000000000001',
      providerId: SESSION_ID,
      runId: 'run_42',
      effectId: 'run_42:7:0',
      amountMinor: 12550,
      currency: 'usd',
    });
    const whole = event('checkout.session.expired', session({ status: 'expired', expires_at: Date.parse('2026-03-06T14:00:00Z') / 1000 }));
    await expect(provider.parseEvent(whole, signed(whole), NOW)).resolves.toMatchObject({ type: 'expired', final: true });
  });

  it('maps payment_intent.payment_failed to a non-final failure with the decline reason and the session id', async () => {
    server.respond(() => ({ status: 200, body: { object: 'list', data: [session()], has_more: false, url: '/v1/checkout/sessions' } }));
    const intent = paymentIntent(null, {
      status: 'requires_payment_method',
      latest_charge: 'ch_3Optline0000000002',
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      },
    });
    const body = event('payment_intent.payment_failed', intent);

    expect(await provider.parseEvent(body, signed(body), NOW)).toEqual({
      type: 'failed',
      reason: 'card_declined: insufficient_funds (Your card has insufficient funds.)',
      final: false,
      captured: false,
      eventId: 'evt_1Optline000000000001',
      providerId: SESSION_ID,
      runId: 'run_42',
      effectId: 'run_42:7:0',
      amountMinor: 12550,
      currency: 'usd',
    });
    expect(server.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/v1/checkout/sessions', { payment_intent: INTENT_ID, limit: '1' }],
    ]);
  });

  it('ignores other event types and sessions that Optline did not create', async () => {
    const other = event('charge.refunded', { id: 'ch_1', object: 'charge' });
    await expect(provider.parseEvent(other, signed(other), NOW)).resolves.toEqual({
      type: 'ignored',
      eventId: 'evt_1Optline000000000001',
      providerType: 'charge.refunded',
      reason: 'event type not used by Optline',
    });
    const foreign = event('checkout.session.completed', session({ metadata: {}, payment_status: 'paid' }));
    await expect(provider.parseEvent(foreign, signed(foreign), NOW)).resolves.toMatchObject({
      type: 'ignored',
      reason: 'not a Checkout Session created by Optline',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('throws a retryable ProviderError when the card checks cannot be fetched, so Stripe retries the webhook', async () => {
    server.respond(() => ({ status: 500, body: { error: { type: 'api_error', message: 'boom' } } }));
    const body = event('checkout.session.completed', session({ payment_status: 'paid', payment_intent: INTENT_ID }));
    await expect(provider.parseEvent(body, signed(body), NOW)).rejects.toMatchObject({
      provider: 'stripe',
      kind: 'unavailable',
      retryable: true,
    });
  });
});

describe('StripePaymentProvider.refundPayment', () => {
  const refund = {
    id: 're_3Optline0000000001',
    object: 'refund',
    amount: 12550,
    currency: 'usd',
    payment_intent: INTENT_ID,
    status: 'succeeded',
    metadata: { reason: 'postal code check failed' },
  };

  it('refunds the paid session’s PaymentIntent in full with the key as Idempotency-Key', async () => {
    server.respond((req) =>
      req.path === `/v1/checkout/sessions/${SESSION_ID}`
        ? { status: 200, body: session({ status: 'complete', payment_status: 'paid', payment_intent: INTENT_ID }) }
        : { status: 200, body: refund },
    );

    expect(
      await provider.refundPayment({ providerId: SESSION_ID, idempotencyKey: `refund:${SESSION_ID}`, reason: 'postal code check failed' }),
    ).toEqual({ refundId: 're_3Optline0000000001' });

    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', `/v1/checkout/sessions/${SESSION_ID}`],
      ['POST', '/v1/refunds'],
    ]);
    const create = server.requests[1]!;
    expect(create.headers['idempotency-key']).toBe(`refund:${SESSION_ID}`);
    // No amount: the whole payment is given back.
    expect(create.form).toEqual({ payment_intent: INTENT_ID, 'metadata[reason]': 'postal code check failed' });
  });

  it('answers a payment already refunded with that refund instead of failing', async () => {
    server.respond((req) => {
      if (req.path.startsWith('/v1/checkout/sessions/'))
        return { status: 200, body: session({ payment_status: 'paid', payment_intent: INTENT_ID }) };
      if (req.method === 'POST')
        return {
          status: 400,
          body: {
            error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' },
          },
        };
      return { status: 200, body: { object: 'list', data: [refund], has_more: false, url: '/v1/refunds' } };
    });

    expect(await provider.refundPayment({ providerId: SESSION_ID, idempotencyKey: 'k', reason: 'r' })).toEqual({
      refundId: 're_3Optline0000000001',
    });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/refunds', query: { payment_intent: INTENT_ID, limit: '1' } });
  });

  it('refuses a session without a payment, and passes Stripe’s 5xx on as retryable', async () => {
    server.respond(() => ({ status: 200, body: session() }));
    await expect(provider.refundPayment({ providerId: SESSION_ID, idempotencyKey: 'k', reason: 'r' })).rejects.toMatchObject({
      kind: 'rejected',
      retryable: false,
    });
    server.respond(() => ({ status: 503, body: { error: { type: 'api_error', message: 'down' } } }));
    await expect(provider.refundPayment({ providerId: SESSION_ID, idempotencyKey: 'k', reason: 'r' })).rejects.toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });
});
