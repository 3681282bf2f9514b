import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import payByText from '../../../workflows/pay-by-text.json';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '../../../lib/db/testing/fixtures';
import { useTestDatabase } from '../../../lib/db/testing/test-database';
import { parseEnv } from '../../../lib/env';
import { createServices, type Services } from '../../../lib/runtime/services';
import { activeVersion, engineHarness } from '../../../lib/runtime/testing/engine-harness';
import { paymentHandlers } from './payment-handlers';

const db = useTestDatabase();
const WEBHOOK_SECRET = 'whsec_test_secret_for_optline';
const stripeEnv = () =>
  parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, PUBLIC_URL: 'https://optline.example.com', STRIPE_SECRET_KEY: 'sk_test_optline', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
const stripe = new Stripe('sk_test_optline');

const webhook = (body: string, signature: string | null) =>
  new Request('http://localhost:3000/api/webhooks/stripe', { method: 'POST', headers: signature ? { 'stripe-signature': signature } : {}, body });

describe('Stripe webhook', () => {
  const h = () => paymentHandlers(async () => createServices(db().pool, stripeEnv()));
  const event = JSON.stringify({ id: 'evt_test_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } });

  it('accepts an event signed with the webhook secret (and ignores a type Optline does not use)', async () => {
    const signature = stripe.webhooks.generateTestHeaderString({ payload: event, secret: WEBHOOK_SECRET });
    const res = await h().webhook(webhook(event, signature));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, outcome: 'ignored' });
  });

  it('refuses a tampered, foreign or unsigned event with a 403', async () => {
    const signature = stripe.webhooks.generateTestHeaderString({ payload: event, secret: WEBHOOK_SECRET });
    const tampered = await h().webhook(webhook(event.replace('cus_1', 'cus_2'), signature));
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).error.code).toBe('forbidden');
    const foreign = stripe.webhooks.generateTestHeaderString({ payload: event, secret: 'whsec_someone_else' });
    expect((await h().webhook(webhook(event, foreign))).status).toBe(403);
    expect((await h().webhook(webhook(event, null))).status).toBe(403);
  });
});

describe('payment events through the webhook (sandbox)', () => {
  let s: Services;
  beforeAll(async () => {
    s = createServices(db().pool, parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }));
  });

  it('settles a payment once: a replayed event has no second effect', async () => {
    const pool = db().pool;
    const versionId = await activeVersion(pool, payByText, 'pay-webhook');
    const t = engineHarness(pool);
    t.at('2026-03-10T15:00:00Z');
    const phone = uniquePhone();
    const contact = await makeContact(pool, { phone, zip: '60601', zone: 'America/Chicago' });
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: { amount_due: '12.00' } });
    await t.work();
    await t.pass(3 * 24 * 3_600_000);
    await t.work();
    await t.engine.receiveInbound({ providerId: 'SMwebhookzip', from: phone, body: '60601' });
    await t.work();
    const { rows } = await pool.query('select provider_session_id, effect_id, amount_minor, currency from payments where run_id = $1', [runId]);
    const p = rows[0];
    // Signed with the secret the services' sandbox uses (derived from APP_SECRET), as its test page does.
    const signed = s.providers.sandbox.payments!.completeSandboxPayment({ providerId: p.provider_session_id, runId, effectId: p.effect_id, amountMinor: Number(p.amount_minor), currency: p.currency });
    const h = paymentHandlers(async () => s);
    const first = await h.webhook(webhook(signed.rawBody, signed.signature));
    expect(await first.json()).toEqual({ received: true, outcome: 'paid' });
    const replay = await h.webhook(webhook(signed.rawBody, signed.signature));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: 'settled' });
    const events = await pool.query(`select count(*)::int as n from run_events where run_id = $1 and kind = 'payment'`, [runId]);
    expect(events.rows[0].n).toBe(1);
    expect((await h.webhook(webhook(signed.rawBody.replace('"amountMinor":1200', '"amountMinor":1'), signed.signature))).status).toBe(403);
  });
});
