import { runMigrations } from 'graphile-worker';
import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consentRepository } from '@/lib/db/consent-repository';
import { runRepository } from '@/lib/db/run-repository';
import { makeContact } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { LoopbackTwilioRequestClient } from '@/lib/providers/testing/loopback-twilio-client';
import { startRecordingServer, type RecordingServer } from '@/lib/providers/testing/recording-server';
import { TwilioMessagingProvider } from '@/lib/providers/twilio/twilio-messaging-provider';
import { activeVersion, engineHarness, grant, quietLogger } from './testing/engine-harness';

/**
 * A send the provider refused without taking the text is tried again later,
 * the same effect each time; a send whose outcome is unknown is not. The
 * real Twilio SDK and adapter talk to a local server that answers as Twilio
 * does.
 */

const database = useTestDatabase();
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const SERVICE_SID = 'MG00112233445566778899aabbccddeeff';

const NOTE = {
  schemaVersion: 1,
  id: 'note',
  name: 'Note',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'note', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: your statement is ready.' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'note' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'note', sourceHandle: 'sent', target: 'done' },
    { id: 'e5', source: 'note', sourceHandle: 'failed', target: 'done' },
  ],
};

/** A one-time code check whose code text may be refused, then a text on success. */
const VERIFY = {
  schemaVersion: 1,
  id: 'verify',
  name: 'Verify',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'verify',
      type: 'verify.identity',
      data: {
        method: 'otp',
        body: 'Acme Dental: your code is {{verify.code}}. Reply with it to continue.',
        maxAttempts: 2,
        timeout: 'PT1H',
      },
    },
    {
      id: 'ok',
      type: 'message.send',
      data: { purpose: 'informational', body: 'Acme Dental: thank you, you are verified.', outsideHours: 'send' },
    },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e0', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e1', source: 'check', sourceHandle: 'granted', target: 'verify' },
    { id: 'e2', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e3', source: 'verify', sourceHandle: 'verified', target: 'ok' },
    { id: 'e4', source: 'verify', sourceHandle: 'failed', target: 'done' },
    { id: 'e5', source: 'ok', sourceHandle: 'sent', target: 'done' },
    { id: 'e6', source: 'ok', sourceHandle: 'failed', target: 'done' },
  ],
};

let server: RecordingServer;
let versionId: string;
let verifyVersionId: string;
let sids = 0;

const tooManyRequests = {
  status: 429,
  body: { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 },
};
/** Twilio's answer to a send it took, each with a message SID of its own. */
const accepted = () => ({
  status: 201,
  body: {
    sid: `SM${(++sids).toString(16).padStart(32, '0')}`,
    account_sid: ACCOUNT_SID,
    messaging_service_sid: SERVICE_SID,
    status: 'accepted',
    body: 'Acme Dental: your statement is ready.',
    to: '+12125550000',
    date_created: 'Tue, 10 Mar 2026 14:00:00 +0000',
  },
});

beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
  server = await startRecordingServer();
  versionId = await activeVersion(database().pool, NOTE, 'note-retries');
  verifyVersionId = await activeVersion(database().pool, VERIFY, 'verify-retries');
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function started(flowVersionId = versionId) {
  const messaging = new TwilioMessagingProvider({
    client: twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: new LoopbackTwilioRequestClient(server.url) }),
    messagingServiceSid: SERVICE_SID,
    authToken: AUTH_TOKEN,
    publicUrl: 'https://optline.example.com',
  });
  const t = engineHarness(database().pool, { messaging });
  t.at('2026-03-10T14:00:00Z'); // 10:00 in New York
  const contact = await makeContact(t.pool, { zone: 'America/New_York' });
  await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
  const { runId } = await t.engine.startRun({ flowVersionId, contactId: contact.id });
  await t.work();
  const history = async () =>
    (
      await t.pool.query(
        `select c.status, c.error from message_status_changes c join messages m on m.id = c.message_id where m.run_id = $1 order by c.id`,
        [runId],
      )
    ).rows as { status: string; error: string | null }[];
  const answers = async () =>
    (
      await t.pool.query(`select event_type from run_steps where run_id = $1 and event_type like 'sms.%' order by step, seq`, [runId])
    ).rows.map((r) => r.event_type as string);
  // This contact's texts only (the queue is the file's: another test's retries may run in this one's work()).
  const sends = () =>
    server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && r.form.To === contact.phone);
  // The retries waiting (not yet taken: a finished job's row may linger a moment).
  const retriesDue = async () =>
    (
      await t.pool.query(
        `select key, extract(epoch from run_at - created_at)::float as after from graphile_worker.jobs where key like $1 and attempts = 0 order by id`,
        [`${runId}:%:retry:%`],
      )
    ).rows as { key: string; after: number }[];
  return { t, contact, runId, history, answers, sends, retriesDue };
}

describe('a send the provider refused', () => {
  it('is tried again 1 s and 2 s later when Twilio answers 429, and goes once on the third try', async () => {
    let calls = 0;
    server.respond(() => (++calls <= 2 ? tooManyRequests : accepted()));
    const { t, runId, history, answers, sends, retriesDue } = await started();
    expect(sends()).toHaveLength(1);
    expect(await retriesDue()).toEqual([{ key: expect.stringMatching(/:retry:1$/), after: 1 }]);
    expect((await history()).map((h) => h.status)).toEqual(['sending', 'pending']);
    expect((await history())[1]!.error).toMatch(/Too Many Requests.*trying again \(1 of 5\)/);
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('active');

    await t.pass(1000);
    await t.work();
    expect(sends()).toHaveLength(2);
    expect(await retriesDue()).toEqual([{ key: expect.stringMatching(/:retry:2$/), after: 2 }]);
    await t.pass(2000);
    await t.work();

    expect(sends()).toHaveLength(3);
    // The same text to the same number each time, and the same status callback (the effect's).
    expect(new Set(sends().map((r) => JSON.stringify([r.form.To, r.form.Body, r.form.StatusCallback])))).toHaveLength(1);
    expect((await history()).map((h) => h.status)).toEqual(['sending', 'pending', 'sending', 'pending', 'sending', 'sent']);
    expect((await t.pool.query(`select status, error, provider_sid from messages where run_id = $1`, [runId])).rows).toEqual([
      { status: 'sent', error: null, provider_sid: expect.stringMatching(/^SM[0-9a-f]{32}$/) },
    ]);
    expect(await answers()).toEqual(['sms.sent']);
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('done');
  });

  it('fails with the reason after 6 refusals (1, 2, 4, 8 and 16 s apart) and takes the failed path', async () => {
    server.respond(() => tooManyRequests);
    const { t, runId, answers, sends, retriesDue } = await started();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [due] = await retriesDue();
      delays.push(due!.after);
      await t.pass(due!.after * 1000);
      await t.work();
    }
    expect(delays).toEqual([1, 2, 4, 8, 16]);
    await t.pass(60_000);
    await t.work();

    expect(sends()).toHaveLength(6);
    const [message] = (await t.pool.query(`select status, error from messages where run_id = $1`, [runId])).rows;
    expect(message).toEqual({ status: 'failed', error: expect.stringMatching(/Too Many Requests.*\(refused 6 times; not sent\)/) });
    expect(await answers()).toEqual(['sms.failed']);
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('done');
  });

  it('is blocked, not sent, when consent was revoked while it waited', async () => {
    let calls = 0;
    server.respond(() => (++calls <= 1 ? tooManyRequests : accepted()));
    const { t, contact, history, answers, sends } = await started();
    await consentRepository(t.pool).appendConsentEvent({
      contactId: contact.id,
      action: 'revoke',
      source: 'api',
      channel: 'sms',
      reply: 'STOP',
      recordedBy: 'test',
      occurredAt: t.clock(),
    });
    await t.pass(1000);
    await t.work();

    expect(sends()).toHaveLength(1);
    expect((await history()).map((h) => h.status)).toEqual(['sending', 'pending', 'blocked']);
    expect(await answers()).toEqual(['sms.failed']);
  });

  it('is not tried again when Twilio may have taken it (a 503: the outcome is unknown), so it never goes twice', async () => {
    server.respond(() => ({ status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } }));
    const { t, runId, answers, sends } = await started();
    await t.pass(60_000);
    await t.work();

    expect(sends()).toHaveLength(1);
    expect((await t.pool.query(`select status from messages where run_id = $1`, [runId])).rows).toEqual([{ status: 'failed' }]);
    expect(await answers()).toEqual(['sms.failed']);
  });

  it('issues a fresh one-time code when it retries the code text (only its hash was kept); the refused code is superseded and the sent one verifies', async () => {
    let calls = 0;
    server.respond(() => (++calls <= 1 ? tooManyRequests : accepted()));
    const { t, contact, runId, sends } = await started(verifyVersionId);
    await t.pass(1000);
    await t.work();

    expect(sends()).toHaveLength(2);
    const codes = sends().map((r) => /code is (\d{6})\./.exec(String(r.form.Body))?.[1]);
    const verifications = (
      await t.pool.query(`select effect_id, status from verifications where run_id = $1 order by created_at, effect_id`, [runId])
    ).rows;
    expect(verifications).toEqual([
      { effect_id: expect.not.stringContaining('#'), status: 'superseded' },
      { effect_id: expect.stringMatching(/#1$/), status: 'pending' },
    ]);

    expect(
      await t.engine.receiveInbound({ providerId: `SMreply${runId.replace(/-/g, '')}`, from: contact.phone!, body: codes[1]! }),
    ).toEqual({ outcome: 'reply' });
    await t.work();
    expect(sends().at(-1)!.form.Body).toBe('Acme Dental: thank you, you are verified.');
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('done');
  });
});
