import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { createServices } from '@/lib/runtime/services';
import { MAX_FORM_BYTES } from './messaging-webhooks';
import { webhookListener } from './webhook-listener';

const db = useTestDatabase();

const PUBLIC_URL = 'https://optline.example.com';
const AUTH_TOKEN = 'twilio-auth-token-for-tests-0123';
const env = () =>
  parseEnv({
    NODE_ENV: 'test',
    APP_SECRET: TEST_APP_SECRET,
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_MESSAGING_SERVICE_SID: `MG${'2'.repeat(32)}`,
  });
const sid = (n: number) => `SM${n.toString(16).padStart(32, '0')}`;

// The app server's arrangement (server.ts): the listener first, anything it declines to the next handler.
let server: Server;
let base: string;
const declined: string[] = [];
beforeAll(async () => {
  const services = Promise.resolve().then(() => createServices(db().pool, env()));
  const webhooks = webhookListener(
    () => services,
    () => undefined,
  );
  server = createServer((req, res) => {
    if (webhooks(req, res)) return;
    declined.push(`${req.method} ${req.url}`);
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function post(
  path: string,
  form: Record<string, string>,
  options: { signature?: string | null; contentType?: string; body?: string } = {},
) {
  const signature =
    options.signature === undefined ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, form) : options.signature;
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
    },
    body: options.body ?? new URLSearchParams(form).toString(),
  });
}

async function stored(providerSid: string): Promise<number> {
  return (await db().pool.query('select count(*)::int as n from inbound_texts where provider_sid = $1', [providerSid])).rows[0].n;
}

describe('the app server answering the messaging webhooks before Next.js', () => {
  it('stores a signed inbound text with its job and answers empty TwiML; a replay answers the same and stores nothing more', async () => {
    const phone = uniquePhone();
    await makeContact(db().pool, { phone });
    const form = { MessageSid: sid(1), From: phone, To: '+12025550100', Body: 'yes' };
    for (let i = 0; i < 2; i++) {
      const res = await post('/api/webhooks/twilio/inbound', form);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
    expect(await stored(sid(1))).toBe(1);
    const { rows } = await db().pool.query(
      `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'optline_receive_inbound' and j.payload->>'providerId' = $1`,
      [sid(1)],
    );
    expect(rows[0].n).toBe(1);
  });

  it('stores a burst of texts, each once, with one job each', async () => {
    const phones = await Promise.all(
      Array.from({ length: 5 }, async () => (await makeContact(db().pool, { phone: uniquePhone() })).phone!),
    );
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post('/api/webhooks/twilio/inbound', { MessageSid: sid(100 + i), From: phones[i % 5]!, To: '+12025550100', Body: `text ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(200));
    const { rows } = await db().pool.query(
      `select count(*)::int as n, count(distinct provider_sid)::int as d from inbound_texts where provider_sid like 'SM%' and body like 'text %'`,
    );
    expect(rows[0]).toEqual({ n: 60, d: 60 });
  });

  it('refuses a bad signature with 403 naming the header and PUBLIC_URL, and stores nothing', async () => {
    const res = await post(
      '/api/webhooks/twilio/inbound',
      { MessageSid: sid(2), From: uniquePhone(), Body: 'hi' },
      { signature: 'forged' },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await res.json()).error.message).toContain(
      `x-twilio-signature signature does not match this request: check PUBLIC_URL (${PUBLIC_URL})`,
    );
    expect(await stored(sid(2))).toBe(0);
  });

  it('answers 400 for a body that is not a form, and 413 for one over 64 KB (and the connection still serves)', async () => {
    const json = await post('/api/webhooks/twilio/inbound', {}, { contentType: 'application/json', body: '{"MessageSid":"x"}' });
    expect(json.status).toBe(400);
    expect((await json.json()).error.message).toBe('a webhook is posted as application/x-www-form-urlencoded');
    const big = await post('/api/webhooks/twilio/inbound', {}, { body: `Body=${'x'.repeat(MAX_FORM_BYTES + 10)}` });
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toBe('the webhook body is over 64 KB');
    const after = await post('/api/webhooks/twilio/status', { MessageSid: sid(3), MessageStatus: 'delivered' });
    expect(after.status).toBe(200);
  });

  it('answers a signed status callback (unknown message: nothing to update, still 200)', async () => {
    const res = await post('/api/webhooks/twilio/status', { MessageSid: sid(4), MessageStatus: 'delivered' });
    expect(res.status).toBe(200);
  });

  it('leaves every other request to the next handler (other paths, other methods)', async () => {
    declined.length = 0;
    await fetch(`${base}/api/webhooks/twilio/inbound`);
    await fetch(`${base}/api/webhooks/stripe`, { method: 'POST', body: '{}' });
    await fetch(`${base}/flows?q=x`);
    expect(declined).toEqual(['GET /api/webhooks/twilio/inbound', 'POST /api/webhooks/stripe', 'GET /flows?q=x']);
  });
});
