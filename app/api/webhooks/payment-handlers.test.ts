import { signedInAs } from '@/lib/auth/testing/actors';
import { apiRequest } from '@/lib/http/testing/api-request';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import payByText from '@/workflows/pay-by-text.json';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { createServices, type Services } from '@/lib/runtime/services';
import { activeVersion, engineHarness } from '@/lib/runtime/testing/engine-harness';
import { runtimeHandlers } from '@/app/api/runtime-handlers';
import { paymentHandlers } from './payment-handlers';

const db = useTestDatabase();
const WEBHOOK_SECRET = 'whsec_test_secret_for_optline';
const stripeEnv = () =>
  parseEnv({
    NODE_ENV: 'test',
    APP_SECRET: TEST_APP_SECRET,
    PUBLIC_URL: 'https://optline.example.com',
    STRIPE_SECRET_KEY: 'sk_test_optline',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
const stripe = new Stripe('sk_test_optline');

const webhook = (body: string, signature: string | null) =>
  new Request('http://localhost:3000/api/webhooks/stripe', {
    method: 'POST',
    headers: signature ? { 'stripe-signature': signature } : {},
    body,
  });

describe('Stripe webhook', () => {
  const logged: string[] = [];
  const h = () =>
    paymentHandlers(
      async () => createServices(db().pool, stripeEnv()),
      (line) => logged.push(line),
    );
  const event = JSON.stringify({
    id: 'evt_test_1',
    object: 'event',
    type: 'customer.created',
    data: { object: { id: 'cus_1', object: 'customer' } },
  });

  it('accepts an event signed with the webhook secret (and ignores a type Optline does not use)', async () => {
    const signature = stripe.webhooks.generateTestHeaderString({ payload: event, secret: WEBHOOK_SECRET });
    const res = await h().webhook(webhook(event, signature));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, outcome: 'ignored' });
  });

  it('refuses a tampered, foreign, stale or unsigned event with a 400, logging one line without the payload', async () => {
    logged.length = 0;
    const signature = stripe.webhooks.generateTestHeaderString({ payload: event, secret: WEBHOOK_SECRET });
    const tampered = await h().webhook(webhook(event.replace('cus_1', 'cus_2'), signature));
    expect(tampered.status).toBe(400);
    expect((await tampered.json()).error).toMatchObject({ code: 'bad_request', path: 'stripe-signature' });
    const foreign = stripe.webhooks.generateTestHeaderString({ payload: event, secret: 'whsec_someone_else' });
    expect((await h().webhook(webhook(event, foreign))).status).toBe(400);
    const stale = stripe.webhooks.generateTestHeaderString({
      payload: event,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect((await h().webhook(webhook(event, stale))).status).toBe(400);
    expect((await h().webhook(webhook(event, null))).status).toBe(400);
    expect(logged).toHaveLength(4);
    for (const line of logged) {
      expect(line).not.toContain('\n');
      expect(line).not.toContain('cus_');
      expect(line.length).toBeLessThan(300);
    }
  });

  it('refuses an event over 64 KB with a 413 before checking it', async () => {
    const big = JSON.stringify({ id: 'evt_big', padding: 'x'.repeat(70 * 1024) });
    const signature = stripe.webhooks.generateTestHeaderString({ payload: big, secret: WEBHOOK_SECRET });
    expect((await h().webhook(webhook(big, signature))).status).toBe(413);
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
    const { rows } = await pool.query('select provider_session_id, effect_id, amount_minor, currency from payments where run_id = $1', [
      runId,
    ]);
    const p = rows[0];
    // Signed with the secret the services' sandbox uses (derived from APP_SECRET), as its test page does.
    const signed = s.providers.sandbox.payments!.completeSandboxPayment({
      providerId: p.provider_session_id,
      runId,
      effectId: p.effect_id,
      amountMinor: Number(p.amount_minor),
      currency: p.currency,
    });
    const h = paymentHandlers(async () => s);
    const first = await h.webhook(webhook(signed.rawBody, signed.signature));
    expect(await first.json()).toEqual({ received: true, outcome: 'paid' });
    const replay = await h.webhook(webhook(signed.rawBody, signed.signature));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ received: true, outcome: 'settled' });
    const events = await pool.query(`select count(*)::int as n from run_events where run_id = $1 and kind = 'payment'`, [runId]);
    expect(events.rows[0].n).toBe(1);
    expect((await h.webhook(webhook(signed.rawBody.replace('"amountMinor":1200', '"amountMinor":1'), signed.signature))).status).toBe(400);
  });
});

describe('the payment link page and the sandbox test page outcome', () => {
  const DAY = 24 * 3_600_000;
  let versionId: string;
  beforeAll(async () => {
    await db().pool.query(`update settings set brand = 'Acme Dental'`);
    versionId = await activeVersion(db().pool, payByText, 'pay-page');
  });

  /** A Chicago contact in pay-by-text up to the link; `page`/`submit` are the browser's GET and form POST. */
  async function atLink() {
    const pool = db().pool;
    const t = engineHarness(pool);
    t.at('2026-03-10T15:00:00Z');
    const phone = uniquePhone();
    const contact = await makeContact(pool, { phone, zip: '60601', zone: 'America/Chicago' });
    const { runId } = await t.engine.startRun({
      flowVersionId: versionId,
      contactId: contact.id,
      vars: { amount_due: '42.50', invoice_number: 'INV-3', office_phone: '(555) 010-0100' },
    });
    await t.work();
    await t.pass(3 * DAY);
    await t.work();
    await t.engine.receiveInbound({ providerId: `SMpage${runId.replace(/-/g, '')}`, from: phone, body: '60601' });
    await t.work();
    const services: Services = {
      pool,
      env: parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }),
      providers: { messaging: t.messaging, payments: t.payments, sandbox: { payments: t.payments } },
      engine: t.engine,
      clock: t.clock,
    };
    const h = paymentHandlers(async () => services);
    const params = (token: string) => ({ params: Promise.resolve({ token }) });
    /** The token of the last link texted to the contact. */
    const token = () =>
      /\/pay\/([A-Za-z0-9_-]{43})/.exec(
        t
          .texts(phone)
          .filter((b) => b.includes('/pay/'))
          .at(-1) ?? '',
      )![1]!;
    const page = (tok = token()) => h.payPage(new Request(`http://localhost:3000/pay/${tok}`), params(tok));
    const submit = (form: Record<string, string>, tok = token()) =>
      h.sandboxOutcome(
        apiRequest(`http://localhost:3000/pay/${tok}/outcome`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        }),
        params(tok),
      );
    const payments = async () =>
      (await pool.query('select status, failure_reason, verification from payments where run_id = $1 order by created_at', [runId])).rows;
    const paymentEvents = async () =>
      (await pool.query(`select count(*)::int as n from run_events where run_id = $1 and kind = 'payment'`, [runId])).rows[0].n as number;
    return { t, phone, runId, services, token, page, submit, payments, paymentEvents, texts: () => t.texts(phone) };
  }

  it('shows the amount, the description and the two test buttons, and asks for no card data', async () => {
    const s = await atLink();
    const res = await s.page();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).toContain('<h1 id="pay-title">$42.50</h1>');
    expect(html).toContain('Acme Dental invoice INV-3');
    expect(html).toContain('>Pay $42.50 (test)</button>');
    expect(html).toContain('>Fail (test)</button>');
    expect(html).toContain(`action="/pay/${s.token()}/outcome"`);
    // Hidden fields and the test select only: nothing a card number could be typed into.
    expect([...html.matchAll(/<input [^>]*>/g)].map((m) => m[0])).toEqual([
      '<input type="hidden" name="outcome" value="paid">',
      '<input type="hidden" name="outcome" value="failed">',
    ]);
    expect(html).not.toMatch(/card number|cvc|cvv|expiry/i);
  });

  it('pays through the sandbox provider on "Pay (test)": back to the page, which now answers 410 Paid; a second post changes nothing', async () => {
    const s = await atLink();
    const tok = s.token();
    const res = await s.submit({ outcome: 'paid', postalCode: 'pass' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/pay/${tok}`);
    await s.t.work();
    expect(s.texts().at(-1)).toMatch(
      /^Acme Dental: payment of \$42\.50 received\. Thank you! Your receipt: http:\/\/localhost:3000\/pay\/receipt\/[0-9a-f-]{36}$/,
    );
    expect(await s.payments()).toEqual([
      { status: 'paid', failure_reason: null, verification: { cardChecks: { postalCode: 'pass', cvc: 'pass' } } },
    ]);

    const after = await s.page(tok);
    expect(after.status).toBe(410);
    expect(await after.text()).toContain('Paid. Thank you!');
    const again = await s.submit({ outcome: 'paid' }, tok);
    expect(again.status).toBe(410);
    await s.t.work();
    expect(await s.paymentEvents()).toBe(1);
  });

  it('fails the payment on "Fail (test)": the failed path, and the link is dead', async () => {
    const s = await atLink();
    expect((await s.submit({ outcome: 'failed' })).status).toBe(303);
    await s.t.work();
    expect(s.texts().at(-1)).toBe(
      'Acme Dental: your payment did not go through and you have not been charged. Please call us at (555) 010-0100 to pay another way.',
    );
    expect(await s.payments()).toEqual([{ status: 'failed', failure_reason: 'declined on the sandbox payment page', verification: {} }]);
    const page = await s.page();
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('This payment did not go through');
  });

  it('takes the failed path when the test page’s postal-code check fails', async () => {
    const s = await atLink();
    await s.submit({ outcome: 'paid', postalCode: 'fail' });
    await s.t.work();
    expect(await s.payments()).toMatchObject([{ status: 'failed', failure_reason: 'postal code check failed' }]);
    expect(s.texts().at(-1)).toContain('your payment did not go through');
  });

  it('answers an unknown or malformed token with a 404 page, and stores nothing', async () => {
    const s = await atLink();
    const unknown = 'A'.repeat(43);
    for (const tok of [unknown, 'not-a-token']) {
      const res = await s.page(tok);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('This payment link does not exist');
      expect((await s.submit({ outcome: 'paid' }, tok)).status).toBe(404);
    }
    expect(await s.payments()).toMatchObject([{ status: 'pending' }]);
    expect(await s.paymentEvents()).toBe(0);
  });

  it('answers an expired link with a 410 page and refuses to pay it', async () => {
    const s = await atLink();
    const tok = s.token();
    await s.t.pass(3 * DAY + 60_000); // past the link's 3 days (the run's own timer is not run here)
    const res = await s.page(tok);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('This link has expired');
    expect((await s.submit({ outcome: 'paid' }, tok)).status).toBe(410);
    expect(await s.paymentEvents()).toBe(0);
  });

  it('kills the first link once the flow sends a new one: 410 replaced, and the new link works', async () => {
    const s = await atLink();
    const first = s.token();
    await s.t.pass(3 * DAY + 60_000);
    await s.t.work(); // expired → "we're sending you a new one" → a new link
    const second = s.token();
    expect(second).not.toBe(first);
    expect((await s.payments()).map((p) => p.status)).toEqual(['superseded', 'pending']);
    const old = await s.page(first);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('This link was replaced');
    expect((await s.submit({ outcome: 'paid' }, first)).status).toBe(410);
    expect((await s.page(second)).status).toBe(200);
  });

  it('records a postal-code check that was unavailable on the run, shown by GET /api/runs/:id without the token', async () => {
    const s = await atLink();
    const tok = s.token();
    await s.submit({ outcome: 'paid', postalCode: 'unavailable' });
    await s.t.work();
    const res = await runtimeHandlers(async () => s.services, signedInAs('reviewer')).getRun(new Request('http://test'), {
      params: Promise.resolve({ id: s.runId }),
    });
    const view = await res.json();
    expect(view.run.status).toBe('done');
    expect(view.payments).toEqual([
      expect.objectContaining({
        status: 'paid',
        amountMinor: 4250,
        currency: 'usd',
        description: 'Acme Dental invoice INV-3',
        failureReason: null,
        cardChecks: { postalCode: 'unavailable', cvc: 'pass' },
      }),
    ]);
    expect(JSON.stringify(view)).not.toContain(tok);
  });

  it('refuses an outcome other than paid or failed with a 400 naming the field', async () => {
    const s = await atLink();
    const res = await s.submit({ outcome: 'refund' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'validation_failed', message: 'outcome: must be paid or failed', path: 'outcome' } });
  });
});
