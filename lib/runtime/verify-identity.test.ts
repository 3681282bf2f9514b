import { beforeAll, describe, expect, it } from 'vitest';
import { runRepository } from '@/lib/db/run-repository';
import { makeContact, TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { createAnswerHasher } from './identity-hash';
import { activeVersion, engineHarness, grant } from './testing/engine-harness';

const database = useTestDatabase();

/** A consent check, an identity check of `method`, then a text naming the output taken. */
function verifyFlow(id: string, method: 'otp' | 'zip' | 'dob', body: string) {
  return {
    schemaVersion: 1,
    id,
    name: id,
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes: [
      { id: 'start', type: 'trigger', data: { kind: 'api' } },
      { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
      { id: 'verify', type: 'verify.identity', data: { method, body, maxAttempts: 2, timeout: 'PT1H' } },
      {
        id: 'ok',
        type: 'message.send',
        data: { purpose: 'informational', body: 'Acme Dental: thank you, you are verified.', outsideHours: 'send' },
      },
      {
        id: 'ko',
        type: 'message.send',
        data: { purpose: 'informational', body: 'Acme Dental: we could not verify you.', outsideHours: 'defer' },
      },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e0', source: 'start', sourceHandle: 'next', target: 'check' },
      { id: 'e1', source: 'check', sourceHandle: 'granted', target: 'verify' },
      { id: 'e1-missing', source: 'check', sourceHandle: 'missing', target: 'done' },
      { id: 'e2', source: 'verify', sourceHandle: 'verified', target: 'ok' },
      { id: 'e3', source: 'verify', sourceHandle: 'failed', target: 'ko' },
      { id: 'e4', source: 'ok', sourceHandle: 'sent', target: 'done' },
      { id: 'e5', source: 'ok', sourceHandle: 'failed', target: 'done' },
      { id: 'e6', source: 'ko', sourceHandle: 'sent', target: 'done' },
      { id: 'e7', source: 'ko', sourceHandle: 'failed', target: 'done' },
    ],
  };
}

const OTP_BODY = 'Acme Dental: your code is {{verify.code}}. Reply with it to continue.';
let otpVersion: string;
let dobVersion: string;
let zipVersion: string;
beforeAll(async () => {
  const pool = database().pool;
  await pool.query(`update settings set brand = 'Acme Dental'`);
  otpVersion = await activeVersion(pool, verifyFlow('verify-otp', 'otp', OTP_BODY), 'verify-otp');
  dobVersion = await activeVersion(
    pool,
    verifyFlow('verify-dob', 'dob', 'Acme Dental: please reply with your date of birth (MM/DD/YYYY).'),
    'verify-dob',
  );
  zipVersion = await activeVersion(pool, verifyFlow('verify-zip', 'zip', 'Acme Dental: please reply with your ZIP code.'), 'verify-zip');
});

/** A New York contact with informational consent, at 10:00 there, in a run of `versionId`. */
async function start(versionId: string, fields: { dateOfBirth?: string; zip?: string } = {}, at = '2026-03-10T14:00:00Z') {
  const t = engineHarness(database().pool);
  t.at(at);
  const phone = uniquePhone();
  const contact = await makeContact(t.pool, { phone, zone: 'America/New_York', ...fields });
  await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
  const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
  await t.work();
  let sid = 0;
  const reply = async (body: string) => {
    const outcome = await t.engine.receiveInbound({ providerId: `SMverify${runId.replace(/-/g, '')}${sid++}`, from: phone, body });
    await t.work();
    return outcome;
  };
  const verification = async () => (await t.pool.query('select * from verifications where run_id = $1', [runId])).rows[0];
  const status = async () => (await runRepository(t.pool).getRun(runId))?.status;
  /** Every text Optline keeps of the contact's replies (`messages`, `inbound_texts`) and what went into the run's inbox. */
  const kept = async () => {
    const inbound = await t.pool.query(`select body from messages where contact_id = $1 and direction = 'inbound' order by created_at`, [
      contact.id,
    ]);
    const inbox = await t.pool.query(`select body from inbound_texts where provider_sid like $1 order by id`, [
      `SMverify${runId.replace(/-/g, '')}%`,
    ]);
    const events = await t.pool.query('select payload from run_events where run_id = $1', [runId]);
    return {
      messages: inbound.rows.map((r) => r.body as string),
      inbox: inbox.rows.map((r) => r.body as string),
      events: JSON.stringify(events.rows),
    };
  };
  return { t, runId, reply, verification, status, kept, texts: () => t.texts(phone) };
}

describe('verify.identity with a one-time code', () => {
  it('texts a random 6-digit code that is kept only as a keyed hash, and verifies on it', async () => {
    const s = await start(otpVersion);
    const [prompt] = s.texts();
    const code = /code is (\d{6})\./.exec(prompt ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const v = await s.verification();
    expect(v).toMatchObject({
      method: 'otp',
      status: 'pending',
      attempts_left: 2,
      answer_hash: createAnswerHasher(TEST_APP_SECRET)(s.runId, 'otp', code!),
    });
    expect(JSON.stringify(v)).not.toContain(code);
    // The copy of the text Optline keeps has the code masked.
    const stored = await s.t.pool.query('select body from messages where run_id = $1', [s.runId]);
    expect(stored.rows.map((r) => r.body)).toEqual(['Acme Dental: your code is ••••••. Reply with it to continue.']);

    expect(await s.reply(` ${code!.slice(0, 3)} ${code!.slice(3)} `)).toEqual({ outcome: 'reply' });
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
    expect((await s.verification()).status).toBe('verified');
    expect(await s.status()).toBe('done');
  });

  it('gives each run its own code', async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const s = await start(otpVersion);
      codes.add(/code is (\d{6})\./.exec(s.texts()[0] ?? '')![1]!);
    }
    expect(codes.size).toBe(3);
  });

  it('fails after maxAttempts wrong codes, and a right code after that changes nothing', async () => {
    const s = await start(otpVersion);
    const code = /code is (\d{6})\./.exec(s.texts()[0] ?? '')![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    await s.reply(wrong);
    expect(s.texts().at(-1)).toBe("That doesn't match our records. Please try again (1 attempt left).");
    await s.reply(wrong);
    expect(s.texts().at(-1)).toBe('Acme Dental: we could not verify you.');
    expect(await s.verification()).toMatchObject({ status: 'failed', attempts_left: 0 });
    expect(await s.status()).toBe('done');
    expect(await s.reply(code)).toEqual({ outcome: 'no-run' });
    expect(s.texts()).toHaveLength(3);
  });

  it('refuses a code answered more than 10 minutes after it was sent: the check fails with why, even for the right code', async () => {
    const s = await start(otpVersion);
    const code = /code is (\d{6})\./.exec(s.texts()[0] ?? '')![1]!;
    // Issued at 14:00 by the engine's clock (which runs on from there while the test works): dead ten minutes later.
    const expires = ((await s.verification()).expires_at as Date).getTime() - Date.parse('2026-03-10T14:10:00Z');
    expect(expires).toBeGreaterThanOrEqual(0);
    expect(expires).toBeLessThan(5_000);
    await s.t.pass(10 * 60_000 + 1_000);
    expect(await s.reply(code)).toEqual({ outcome: 'reply' });
    expect(s.texts().at(-1)).toBe('Acme Dental: we could not verify you.');
    expect(await s.verification()).toMatchObject({ status: 'failed' });
    const { rows } = await s.t.pool.query(
      `select payload from run_events where run_id = $1 and payload->'event'->>'type' = 'identity.failed'`,
      [s.runId],
    );
    expect(rows.map((r) => r.payload.event.reason)).toEqual(['the one-time code expired (a code lasts 10 minutes)']);
  });

  it('still verifies the right code within its 10 minutes', async () => {
    const s = await start(otpVersion);
    const code = /code is (\d{6})\./.exec(s.texts()[0] ?? '')![1]!;
    await s.t.pass(9 * 60_000);
    await s.reply(code);
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
  });

  it('takes the failed path when the check times out', async () => {
    const s = await start(otpVersion);
    await s.t.pass(61 * 60_000);
    await s.t.work();
    expect(s.texts().at(-1)).toBe('Acme Dental: we could not verify you.');
    expect(await s.status()).toBe('done');
  });
});

describe('verify.identity with a date of birth', () => {
  it('accepts the date on record written the US way', async () => {
    const s = await start(dobVersion, { dateOfBirth: '1980-04-12' });
    expect(await s.reply('4/12/1980')).toEqual({ outcome: 'reply' });
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
  });

  it('refuses another date, then verifies the right one', async () => {
    const s = await start(dobVersion, { dateOfBirth: '1980-04-12' });
    await s.reply('12/4/1980');
    expect(s.texts().at(-1)).toBe("That doesn't match our records. Please try again (1 attempt left).");
    await s.reply('1980-04-12');
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
  });

  it('fails at once, without asking, when there is no date of birth on record', async () => {
    const s = await start(dobVersion);
    expect(s.texts()).toEqual(['Acme Dental: we could not verify you.']);
    expect(await s.verification()).toBeUndefined();
  });
});

describe('identity answers are not kept readable', () => {
  it('keeps a date of birth answered, wrong or right, only masked in messages and the inbox', async () => {
    const s = await start(dobVersion, { dateOfBirth: '1980-04-12' });
    await s.reply('12/4/1980');
    await s.reply('4/12/1980');
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
    const kept = await s.kept();
    expect(kept.messages).toEqual(['[identity answer]', '[identity answer]']);
    expect(kept.inbox).toEqual(['[identity answer]', '[identity answer]']);
    for (const answer of ['12/4/1980', '4/12/1980', '1980']) expect(kept.events).not.toContain(answer);
  });

  it('keeps a ZIP code answered only masked', async () => {
    const s = await start(zipVersion, { zip: '10001' });
    await s.reply('10001');
    expect(s.texts().at(-1)).toBe('Acme Dental: thank you, you are verified.');
    const kept = await s.kept();
    expect(kept.messages).toEqual(['[identity answer]']);
    expect(kept.inbox).toEqual(['[identity answer]']);
    expect(kept.events).not.toContain('10001');
  });

  it('keeps a one-time code answered only masked', async () => {
    const s = await start(otpVersion);
    const code = /code is (\d{6})\./.exec(s.texts()[0] ?? '')![1]!;
    await s.reply(code);
    expect((await s.verification()).status).toBe('verified');
    const kept = await s.kept();
    expect([...kept.messages, ...kept.inbox]).toEqual(['[identity answer]', '[identity answer]']);
    expect(kept.events).not.toContain(code);
  });

  it('masks a ZIP texted before the question went out (held for quiet hours), which changes nothing for the check', async () => {
    // 02:00 in New York: the question waits for 08:00.
    const s = await start(zipVersion, { zip: '10001' }, '2026-03-10T07:00:00Z');
    expect(s.texts()).toEqual([]);
    await s.reply('10001');
    const kept = await s.kept();
    expect([...kept.messages, ...kept.inbox]).toEqual(['[identity answer]', '[identity answer]']);
    expect(kept.events).not.toContain('10001');
    expect(await s.status()).toBe('active');
  });

  it('keeps STOP and HELP as texted during a check: they are keywords, not answers', async () => {
    const s = await start(zipVersion, { zip: '10001' });
    expect(await s.reply('HELP')).toEqual({ outcome: 'help' });
    expect(await s.reply('STOP')).toEqual({ outcome: 'stop' });
    const kept = await s.kept();
    expect(kept.messages).toEqual(['HELP', 'STOP']);
    expect(kept.inbox).toEqual(['HELP', 'STOP']);
  });
});
