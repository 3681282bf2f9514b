import { runOnce } from 'graphile-worker';
import { apiRequest } from '@/lib/http/testing/api-request';
import twilio from 'twilio';
import { signedInAs } from '@/lib/auth/testing/actors';
import { describe, expect, it } from 'vitest';
import { consentRepository } from '@/lib/db/consent-repository';
import { messageRepository } from '@/lib/db/message-repository';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { createServices } from '@/lib/runtime/services';
import { quietLogger } from '@/lib/runtime/testing/engine-harness';
import { messagingHandlers } from './messaging-handlers';

const db = useTestDatabase();

const PUBLIC_URL = 'https://optline.example.com';
const AUTH_TOKEN = 'twilio-auth-token-for-tests-0123';
const twilioEnv = () =>
  parseEnv({
    NODE_ENV: 'test',
    APP_SECRET: TEST_APP_SECRET,
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_MESSAGING_SERVICE_SID: `MG${'2'.repeat(32)}`,
  });
const sandboxEnv = () => parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET });

const sid = (n: number) => `SM${n.toString(16).padStart(32, '0')}`;

/** A webhook as Twilio posts it: to the app's own address (behind the proxy), signed for the public URL. */
function webhook(
  path: string,
  form: Record<string, string>,
  options: { sign?: Record<string, string>; signature?: string | null } = {},
): Request {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, options.sign ?? form)
      : options.signature;
  return new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db().pool.query(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0].n;
}

describe('Twilio webhooks', () => {
  const h = () => messagingHandlers(async () => createServices(db().pool, twilioEnv()), signedInAs('editor'));

  it('stores a signed STOP with its job and answers; the job revokes consent and queues one confirmation; a replay is done', async () => {
    const phone = uniquePhone();
    const contact = await makeContact(db().pool, { phone });
    const form = { MessageSid: sid(1), AccountSid: `AC${'1'.repeat(32)}`, From: phone, To: '+12025550100', Body: 'Stop please' };
    const services = createServices(db().pool, twilioEnv());

    const res = await h().inbound(webhook('/api/webhooks/twilio/inbound', form));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(await res.text()).toContain('<Response/>');
    // The webhook's whole work: the text in the inbox, unprocessed, and its job.
    expect(await count('select 1 from inbound_texts where provider_sid = $1 and processed_at is null', [sid(1)])).toBe(1);
    const classify = `select 1 from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'optline_receive_inbound' and j.payload->>'providerId' = '${sid(1)}'`;
    expect(await count(classify)).toBe(1);

    await runOnce({
      pgPool: db().pool,
      taskList: { optline_receive_inbound: services.engine.taskList().optline_receive_inbound! },
      noHandleSignals: true,
      logger: quietLogger,
    });
    expect(await consentRepository(db().pool).currentConsent(contact.id)).toBe('revoked');
    expect((await db().pool.query('select outcome from inbound_texts where provider_sid = $1', [sid(1)])).rows[0].outcome).toBe('stop');
    const confirmations = `select 1 from graphile_worker.jobs where task_identifier = 'optline_send_system_text' and key = '${sid(1)}:stop'`;
    expect(await count(confirmations)).toBe(1);

    const replay = await h().inbound(webhook('/api/webhooks/twilio/inbound', form));
    expect(replay.status).toBe(200);
    expect(await count(classify)).toBe(0);
    expect(await count('select 1 from inbound_texts where provider_sid = $1', [sid(1)])).toBe(1);
    expect(await count('select 1 from consent_events where contact_id = $1', [contact.id])).toBe(1);
    expect(await count('select 1 from messages where provider_sid = $1', [sid(1)])).toBe(1);
    expect(await count(confirmations)).toBe(1);
  });

  it('refuses a tampered or unsigned webhook with a 403 and stores nothing', async () => {
    const phone = uniquePhone();
    const contact = await makeContact(db().pool, { phone });
    const signed = { MessageSid: sid(2), From: phone, To: '+12025550100', Body: 'Yes' };
    const tampered = await h().inbound(webhook('/api/webhooks/twilio/inbound', { ...signed, Body: 'STOP' }, { sign: signed }));
    expect(tampered.status).toBe(403);
    expect((await tampered.json()).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('PUBLIC_URL') });
    const unsigned = await h().inbound(webhook('/api/webhooks/twilio/inbound', signed, { signature: null }));
    expect(unsigned.status).toBe(403);
    // Signed for another URL (a misconfigured PUBLIC_URL): refused too.
    const otherUrl = twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'https://elsewhere.example.com/api/webhooks/twilio/inbound', signed);
    expect((await h().inbound(webhook('/api/webhooks/twilio/inbound', signed, { signature: otherUrl }))).status).toBe(403);
    expect(await count('select 1 from messages where contact_id = $1', [contact.id])).toBe(0);
    expect(await count('select 1 from inbound_texts where provider_sid = $1', [sid(2)])).toBe(0);
    expect(await count('select 1 from consent_events where contact_id = $1', [contact.id])).toBe(0);
  });

  it('answers a malformed webhook with a 400 naming the field', async () => {
    const bad = { MessageSid: 'nope', From: uniquePhone(), To: '+12025550100', Body: 'hi' };
    const res = await h().inbound(webhook('/api/webhooks/twilio/inbound', bad));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('MessageSid must be SM or MM followed by 32 hex digits');
    const json = new Request('http://localhost:3000/api/webhooks/twilio/inbound', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await h().inbound(json)).status).toBe(400);
  });

  it('records delivery statuses once, in order, found by the effect id in the callback URL', async () => {
    const contact = await makeContact(db().pool);
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status, sent_at)
       values ('outbound', $1, 'run-1:2:0', 'informational', 'Hello', 'twilio', $2, 'sent', now())`,
      [contact.id, sid(3)],
    );
    const path = '/api/webhooks/twilio/status?effectId=run-1%3A2%3A0';
    const status = (s: string, extra: Record<string, string> = {}) =>
      h().status(webhook(path, { MessageSid: sid(3), MessageStatus: s, ...extra }));
    const state = async () => (await db().pool.query('select status, error from messages where provider_sid = $1', [sid(3)])).rows[0];

    expect((await status('delivered')).status).toBe(200);
    expect(await state()).toEqual({ status: 'delivered', error: null });
    expect((await status('delivered')).status).toBe(200); // replay
    expect((await status('sent')).status).toBe(200); // late, out of order: ignored
    expect((await state()).status).toBe('delivered');
    expect((await status('teleported')).status).toBe(400);

    // A failure with Twilio's error code (30003: unreachable handset).
    await db().pool.query(`update messages set status = 'sent' where provider_sid = $1`, [sid(3)]);
    await status('undelivered', { ErrorCode: '30003' });
    expect(await state()).toEqual({ status: 'undelivered', error: 'provider error 30003' });
  });

  it('records a burst of callbacks together: each text ends at the furthest status it was told, unknown ones change nothing', async () => {
    // One process's services, as in production: the callbacks of the same moment share one transaction.
    const services = createServices(db().pool, twilioEnv());
    const burst = messagingHandlers(async () => services, signedInAs('editor'));
    const contact = await makeContact(db().pool);
    const sids = Array.from({ length: 12 }, (_, i) => sid(100 + i));
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status, sent_at)
       select 'outbound', $1, 'burst:' || n, 'informational', 'Hello', 'twilio', s, 'sending', now()
       from unnest($2::text[]) with ordinality as u(s, n)`,
      [contact.id, sids],
    );
    const post = (s: string, status: string, extra: Record<string, string> = {}) =>
      burst.status(webhook('/api/webhooks/twilio/status', { MessageSid: s, MessageStatus: status, ...extra }));
    // Every text: queued, sent and delivered at once; the last four fail instead; one callback about a text nobody sent.
    const answers = await Promise.all([
      ...sids.flatMap((s, i) =>
        i < 8
          ? [post(s, 'queued'), post(s, 'sent'), post(s, 'delivered')]
          : [post(s, 'sent'), post(s, 'undelivered', { ErrorCode: '30003' }), post(s, 'delivered')],
      ),
      post(sid(999), 'delivered'),
    ]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const { rows } = await db().pool.query(
      'select provider_sid, status, error from messages where provider_sid = any($1::text[]) order by provider_sid',
      [sids],
    );
    // Told "undelivered" and "delivered" at the same moment: both final, the first told is kept.
    expect(rows).toEqual(
      sids.map((s, i) => ({ provider_sid: s, status: i < 8 ? 'delivered' : 'undelivered', error: i < 8 ? null : 'provider error 30003' })),
    );
    // A replay of the whole burst changes nothing.
    expect(await Promise.all(sids.map((s) => services.engine.receiveStatus({ providerId: s, status: 'delivered' })))).toEqual(
      sids.map(() => ({ outcome: 'duplicate' })),
    );
  });

  it('keeps the first final status when callbacks arrive out of order: delivered, then failed, then delivered again', async () => {
    const contact = await makeContact(db().pool);
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status, sent_at)
       values ('outbound', $1, 'run-9:1:0', 'informational', 'Hello', 'twilio', $2, 'sending', now())`,
      [contact.id, sid(9)],
    );
    const status = (s: string, extra: Record<string, string> = {}) =>
      h().status(webhook('/api/webhooks/twilio/status', { MessageSid: sid(9), MessageStatus: s, ...extra }));
    const history = async () =>
      (
        await db().pool.query(
          'select c.status, c.error from message_status_changes c join messages m on m.id = c.message_id where m.provider_sid = $1 order by c.id',
          [sid(9)],
        )
      ).rows;

    for (const s of ['delivered', 'sent', 'queued', 'sending', 'accepted']) expect((await status(s)).status).toBe(200);
    for (const s of ['failed', 'undelivered', 'canceled']) expect((await status(s, { ErrorCode: '30008' })).status).toBe(200);
    expect((await status('read')).status).toBe(200);
    expect((await status('delivered')).status).toBe(200);
    expect(await history()).toEqual([
      { status: 'sending', error: null },
      { status: 'delivered', error: null },
    ]);
  });

  it('moves forward through sent to a final status, and a final failure is not undone by a late delivery', async () => {
    const contact = await makeContact(db().pool);
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, provider_sid, status, sent_at)
       values ('outbound', $1, 'run-10:1:0', 'informational', 'Hello', 'twilio', $2, 'sending', now())`,
      [contact.id, sid(10)],
    );
    const status = (s: string, extra: Record<string, string> = {}) =>
      h().status(webhook('/api/webhooks/twilio/status', { MessageSid: sid(10), MessageStatus: s, ...extra }));
    const state = async () => (await db().pool.query('select status, error from messages where provider_sid = $1', [sid(10)])).rows[0];

    await status('sent');
    expect(await state()).toEqual({ status: 'sent', error: null });
    await status('failed', { ErrorCode: '30003' });
    await status('delivered');
    await status('sent');
    expect(await state()).toEqual({ status: 'failed', error: 'provider error 30003' });
  });

  it('keeps a delivery the callback reported before the answer to the send was written', async () => {
    const contact = await makeContact(db().pool);
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, status)
       values ('outbound', $1, 'run-11:1:0', 'informational', 'Hello', 'twilio', 'sending')`,
      [contact.id],
    );
    await h().status(webhook('/api/webhooks/twilio/status?effectId=run-11%3A1%3A0', { MessageSid: sid(11), MessageStatus: 'delivered' }));
    await messageRepository(db().pool).markSentMany([
      { effectId: 'run-11:1:0', providerId: sid(11), at: new Date('2026-12-06T12:00:00Z') },
    ]);
    const { rows } = await db().pool.query('select status, provider_sid, sent_at from messages where effect_id = $1', ['run-11:1:0']);
    expect(rows[0]).toEqual({ status: 'delivered', provider_sid: sid(11), sent_at: new Date('2026-12-06T12:00:00Z') });
  });

  it('has no sandbox routes when Twilio is configured', async () => {
    const res = await h().sandboxInbound(
      apiRequest('http://localhost:3000/api/sandbox/inbound', { method: 'POST', body: { from: uniquePhone(), body: 'hi' } }),
    );
    expect(res.status).toBe(404);
    expect((await h().sandboxMessages(new Request('http://localhost:3000/api/sandbox/messages'))).status).toBe(404);
  });
});

describe('sandbox messaging routes', () => {
  const h = () => messagingHandlers(async () => createServices(db().pool, sandboxEnv()), signedInAs('editor'));
  const post = (body: unknown) => apiRequest('http://localhost:3000/api/sandbox/inbound', { method: 'POST', body });

  it('plays an inbound text through the same path as a real one', async () => {
    const phone = uniquePhone();
    const contact = await makeContact(db().pool, { phone });
    const res = await h().sandboxInbound(post({ from: phone.replace('+1', ''), body: 'UNSUBSCRIBE' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'stop', messageSid: expect.stringMatching(/^SB[0-9a-f]{32}$/) });
    expect(await consentRepository(db().pool).currentConsent(contact.id)).toBe('revoked');
    const list = await (await h().sandboxMessages(new Request('http://localhost:3000/api/sandbox/messages?limit=5'))).json();
    expect(list.messages[0]).toMatchObject({ direction: 'inbound', body: 'UNSUBSCRIBE', contactId: contact.id });
  });

  it('reports a sent text queued, sent, delivered through the status webhook, as Twilio does: the text ends delivered', async () => {
    const phone = uniquePhone();
    await makeContact(db().pool, { phone });
    const services = createServices(db().pool, sandboxEnv());
    const handlers = messagingHandlers(async () => services, signedInAs('editor'));
    expect(await (await handlers.sandboxInbound(post({ from: phone, body: 'HELP' }))).json()).toMatchObject({ outcome: 'help' });
    await runOnce({
      pgPool: db().pool,
      taskList: { optline_send_system_text: services.engine.taskList().optline_send_system_text! },
      noHandleSignals: true,
      logger: quietLogger,
    });
    // The reports come after the send returned, one after the other: wait for the last.
    const statuses = async () =>
      (
        await db().pool.query(
          `select c.status from message_status_changes c join messages m on m.id = c.message_id
           where m.direction = 'outbound' and m.contact_id = (select id from contacts where phone_e164 = $1) order by c.id`,
          [phone],
        )
      ).rows.map((r) => r.status as string);
    await expect.poll(statuses, { timeout: 10_000 }).toContain('delivered');
    expect(await statuses()).toEqual(['sending', 'sent', 'delivered']);
    const { rows } = await db().pool.query(
      `select m.status from messages m join contacts c on c.id = m.contact_id where c.phone_e164 = $1 and m.direction = 'outbound'`,
      [phone],
    );
    expect(rows).toEqual([{ status: 'delivered' }]);
  });

  it('shows pay links only to roles that may pay for a contact in the sandbox, and masks them for the others', async () => {
    const contact = await makeContact(db().pool);
    const token = 'A'.repeat(20) + '_-' + 'b9'.repeat(10) + 'z';
    const receipt = 'http://localhost:3000/pay/receipt/0b6c1a52-6f55-4f0e-9a51-0f3f2a1f6c11';
    await db().pool.query(
      `insert into messages (direction, contact_id, effect_id, purpose, body, provider, status)
       values ('outbound', $1, 'run-12:1:0', 'informational', $2, 'sandbox', 'sent')`,
      [contact.id, `Acme: pay $42.50 at http://localhost:3000/pay/${token} (3 days). Receipt: ${receipt}`],
    );
    const bodyAs = async (role: 'owner' | 'editor' | 'developer' | 'reviewer') => {
      const res = await messagingHandlers(async () => createServices(db().pool, sandboxEnv()), signedInAs(role)).sandboxMessages(
        new Request('http://localhost:3000/api/sandbox/messages?limit=1'),
      );
      expect(res.status).toBe(200);
      return (await res.json()).messages[0].body as string;
    };
    for (const role of ['owner', 'editor', 'developer'] as const) {
      expect(await bodyAs(role)).toBe(`Acme: pay $42.50 at http://localhost:3000/pay/${token} (3 days). Receipt: ${receipt}`);
    }
    expect(await bodyAs('reviewer')).toBe(`Acme: pay $42.50 at http://localhost:3000/pay/… (3 days). Receipt: ${receipt}`);
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const cases: [unknown, number, string][] = [
      [{ from: 'not a phone', body: 'hi' }, 400, 'from'],
      [{ body: 'hi' }, 400, 'from'],
      [{ from: uniquePhone(), body: 'hi', extra: true }, 400, ''],
      ['{nope', 400, ''],
    ];
    for (const [body, status, path] of cases) {
      const res = await h().sandboxInbound(post(body));
      expect(res.status).toBe(status);
      if (path) expect((await res.json()).error.path).toBe(path);
    }
    expect((await h().sandboxMessages(new Request('http://localhost:3000/api/sandbox/messages?limit=0'))).status).toBe(400);
  });
});
