import { runMigrations, runOnce } from 'graphile-worker';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import appointmentReminder from '@/workflows/appointment-reminder.json';
import { consentRepository } from '@/lib/db/consent-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { messageRepository } from '@/lib/db/message-repository';
import { runRepository } from '@/lib/db/run-repository';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { EngineError } from './engine';
import { activeVersion as harnessActiveVersion, engineHarness, grant as harnessGrant, quietLogger } from './testing/engine-harness';

const database = useTestDatabase();

/** A marketing text behind a consent check. */
const PROMO = {
  schemaVersion: 1,
  id: 'promo',
  name: 'Promo',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'marketing' } },
    {
      id: 'offer',
      type: 'message.send',
      data: { purpose: 'marketing', body: 'Acme Dental: 20% off whitening this week. Reply STOP to opt out.' },
    },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'offer' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'offer', sourceHandle: 'sent', target: 'done' },
    { id: 'e5', source: 'offer', sourceHandle: 'failed', target: 'done' },
  ],
};

const setup = () => engineHarness(database().pool);
const activeVersion = (doc: unknown, flowId: string) => harnessActiveVersion(database().pool, doc, flowId);
const grant = (contactId: string, purpose: 'informational' | 'marketing', at: string) =>
  harnessGrant(database().pool, contactId, purpose, at);

beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
  await database().pool.query(`update settings set brand = 'Acme Dental', stop_confirmation_text = $1`, [
    "Acme Dental: You're unsubscribed and will get no more texts. Reply START to resubscribe.",
  ]);
});

describe('the durable engine', () => {
  it('runs the appointment reminder end to end: consent check, reminder, reply, confirmation', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z'); // 10:00 in New York
    const versionId = await activeVersion(appointmentReminder, 'appointment-e2e');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, name: 'Ana Diaz', zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');

    const { runId } = await t.engine.startRun({
      flowVersionId: versionId,
      contactId: contact.id,
      vars: { appointment_date: 'March 11', appointment_time: '3:00 PM' },
    });
    await t.work();
    expect(t.texts(phone)).toEqual([
      'Acme Dental: reminder of your appointment tomorrow, March 11 at 3:00 PM. Reply C to confirm or X to call it off. Reply STOP to opt out.',
    ]);

    expect(await t.engine.receiveInbound({ providerId: 'SMreply1', from: phone, body: 'C' })).toEqual({ outcome: 'reply' });
    await t.work();
    expect(t.texts(phone).at(-1)).toBe("Thanks, Ana! You're confirmed for 3:00 PM tomorrow. See you then.");
    const run = await runRepository(t.pool).getRun(runId);
    expect([run?.status, run?.snapshot.value]).toEqual(['done', 'done']);

    // A retried webhook changes nothing.
    expect(await t.engine.receiveInbound({ providerId: 'SMreply1', from: phone, body: 'C' })).toEqual({ outcome: 'duplicate' });
    await t.work();
    expect(t.texts(phone)).toHaveLength(2);
  });

  it('takes the timeout path when the contact does not answer, once its time has passed', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z');
    const versionId = await activeVersion(appointmentReminder, 'appointment-timeout');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();
    await t.pass(11 * 3_600_000);
    await t.work();
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('active');
    await t.pass(3_600_000);
    await t.work();
    const run = await runRepository(t.pool).getRun(runId);
    expect([run?.status, run?.snapshot.value]).toEqual(['done', 'done']);
    expect(t.texts(phone)).toHaveLength(1);
  });

  it('applies the timers of many runs that fall due together, in shared transactions: each run steps once, and its path is recorded', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z');
    const wait = {
      schemaVersion: 1,
      id: 'many-timers',
      name: 'Many timers',
      policy: { brand: 'Acme Dental', quietHours: 'strictest' },
      nodes: [
        { id: 'start', type: 'trigger', data: { kind: 'api' } },
        { id: 'pause', type: 'wait.delay', data: { duration: 'PT1H' } },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'pause' },
        { id: 'e2', source: 'pause', sourceHandle: 'next', target: 'done' },
      ],
    };
    const versionId = await activeVersion(wait, 'many-timers');
    const contact = await makeContact(t.pool);
    const runIds: string[] = [];
    for (let i = 0; i < 30; i++) runIds.push((await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id })).runId);
    await t.pool.query(`update graphile_worker._private_jobs set run_at = now() where payload->>'runId' = any($1)`, [runIds]);
    // Many jobs at once in one process: their deliveries go together.
    await runOnce({ pgPool: t.pool, taskList: t.engine.taskList(), concurrency: 10, noHandleSignals: true, logger: quietLogger });
    const { rows } = await t.pool.query(`select status, version, count(*)::int as n from runs where id = any($1) group by 1, 2`, [runIds]);
    expect(rows).toEqual([{ status: 'done', version: 1, n: 30 }]);
    const moves = await t.pool.query(`select to_node, count(*)::int as n from run_steps where run_id = any($1) and step = 1 group by 1`, [
      runIds,
    ]);
    expect(moves.rows).toEqual([{ to_node: 'done', n: 30 }]);
    const events = await t.pool.query(`select outcome, count(*)::int as n from run_events where run_id = any($1) group by 1`, [runIds]);
    expect(events.rows).toEqual([{ outcome: 'applied', n: 30 }]);
  });

  it('starts runs asked for at once together; a start that cannot go (no such contact, a version not active) fails alone with its reason', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z');
    const versionId = await activeVersion(PROMO, 'promo-burst');
    const contacts = await Promise.all(
      Array.from({ length: 12 }, () => makeContact(t.pool, { phone: uniquePhone(), zone: 'America/New_York' })),
    );
    for (const c of contacts.slice(0, 6)) await grant(c.id, 'marketing', '2026-01-01T00:00:00Z');
    const starts = await Promise.allSettled([
      ...contacts.map((c) => t.engine.startRun({ flowVersionId: versionId, contactId: c.id })),
      t.engine.startRun({ flowVersionId: versionId, contactId: '00000000-0000-4000-8000-000000000000' }),
      t.engine.startRun({ flowVersionId: versionId, contactId: 'not-a-uuid' }),
      t.engine.startRun({ flowVersionId: '00000000-0000-4000-8000-000000000001', contactId: contacts[0]!.id }),
    ]);
    expect(starts.slice(0, 12).every((s) => s.status === 'fulfilled')).toBe(true);
    expect(starts.slice(12).map((s) => (s.status === 'rejected' ? (s.reason as Error).message : 'started'))).toEqual([
      'there is no contact 00000000-0000-4000-8000-000000000000',
      'there is no contact not-a-uuid',
      'there is no flow version 00000000-0000-4000-8000-000000000001',
    ]);
    const runIds = starts.slice(0, 12).map((s) => (s as PromiseFulfilledResult<{ runId: string }>).value.runId);
    expect(new Set(runIds).size).toBe(12);
    // Each answered by its own contact's consent: six wait for their text, six ended at the check.
    const { rows } = await t.pool.query(
      `select r.snapshot->>'value' as at, count(*)::int as n from runs r where r.id = any($1) group by 1 order by 1`,
      [runIds],
    );
    expect(rows).toEqual([
      { at: 'done', n: 6 },
      { at: 'offer', n: 6 },
    ]);
    await t.work();
    expect(contacts.map((c) => t.texts(c.phone!).length)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('honours STOP at once: revokes consent, ends the run, confirms once and sends nothing more', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z');
    const versionId = await activeVersion(appointmentReminder, 'appointment-stop');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();

    expect(await t.engine.receiveInbound({ providerId: 'SMstop1', from: phone, body: 'Stop texting me' })).toEqual({ outcome: 'stop' });
    await t.work();
    expect(await consentRepository(t.pool).currentConsent(contact.id)).toBe('revoked');
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('stopped');
    expect(t.texts(phone)).toEqual([
      expect.stringMatching(/^Acme Dental: reminder/),
      "Acme Dental: You're unsubscribed and will get no more texts. Reply START to resubscribe.",
    ]);

    expect(await t.engine.receiveInbound({ providerId: 'SMlate', from: phone, body: 'C' })).toEqual({ outcome: 'no-run' });
    await t.work();
    expect(t.texts(phone)).toHaveLength(2);
  });

  it("defers a Florida marketing text due at 20:30 to 08:00 the next morning in the contact's zone", async () => {
    const t = setup();
    t.at('2026-05-05T20:30:00-04:00');
    const versionId = await activeVersion(PROMO, 'promo-florida');
    const phone = `+1305${uniquePhone().slice(-7)}`;
    const contact = await makeContact(t.pool, { phone, state: 'FL' });
    await grant(contact.id, 'marketing', '2026-01-01T00:00:00Z');
    await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();

    expect(t.texts(phone)).toEqual([]);
    // Held for 11.5 hours: until 08:00 EDT (12:00 UTC).
    await t.pass(11.5 * 3_600_000 - 60_000);
    await t.work();
    expect(t.texts(phone)).toEqual([]);
    await t.pass(60_000);
    await t.work();
    expect(t.texts(phone)).toEqual(['Acme Dental: 20% off whitening this week. Reply STOP to opt out.']);
    const sent = await t.pool.query(`select sent_at from messages where contact_id = $1 and direction = 'outbound'`, [contact.id]);
    expect(Math.abs((sent.rows[0].sent_at as Date).getTime() - Date.parse('2026-05-06T12:00:00Z'))).toBeLessThan(10_000);
  });

  it('answers HELP from the settings without touching the run, and blocks marketing to a paused state', async () => {
    const t = setup();
    t.at('2026-03-10T15:00:00Z');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await t.pool.query(`update settings set help_text = 'Questions? Call 555-0100. Reply STOP to opt out.'`);
    expect(await t.engine.receiveInbound({ providerId: 'SMhelp1', from: phone, body: 'HELP' })).toEqual({ outcome: 'help' });
    // The answer is queued with the inbound text and sent by a worker (the webhook answers at once).
    expect(t.texts(phone)).toEqual([]);
    await t.work();
    expect(t.texts(phone)).toEqual(['Acme Dental: Questions? Call 555-0100. Reply STOP to opt out.']);
    expect(await t.engine.receiveInbound({ providerId: 'SMx', from: '+19995550100', body: 'hi' })).toEqual({ outcome: 'unknown-contact' });

    // Louisiana bans solicitation during a declared emergency: the operator pauses marketing to LA.
    await t.pool.query(`update settings set paused_marketing_states = '{LA}'`);
    const versionId = await activeVersion(PROMO, 'promo-paused');
    await grant(contact.id, 'marketing', '2026-01-01T00:00:00Z');
    await t.pool.query(`update contacts set state = 'LA' where id = $1`, [contact.id]);
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();
    await t.pool.query(`update settings set paused_marketing_states = '{}'`);
    const blocked = await messageRepository(t.pool).listForContact(contact.id);
    expect(blocked.at(-1)).toMatchObject({ status: 'blocked', error: 'Blocked: marketing to LA is paused by the operator.' });
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('done');
    expect(t.texts(phone)).toHaveLength(1);
  });

  it('starts a keyword-triggered flow from a text and answers at once, even at night (an answer within 10 minutes)', async () => {
    const t = setup();
    t.at('2026-03-10T07:00:00Z'); // 03:00 in Chicago: outside every calling window
    const hours = {
      schemaVersion: 1,
      id: 'office-hours',
      name: 'Office hours',
      policy: { brand: 'Acme Dental', quietHours: 'strictest' },
      nodes: [
        { id: 'start', type: 'trigger', data: { kind: 'keyword', keywords: ['HOURS', 'open'] } },
        { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
        {
          id: 'answer',
          type: 'message.send',
          data: {
            purpose: 'informational',
            outsideHours: 'send',
            body: 'Acme Dental: we are open Mon-Fri 8am-5pm. Reply STOP to opt out.',
          },
        },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
        { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'answer' },
        { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
        { id: 'e4', source: 'answer', sourceHandle: 'sent', target: 'done' },
        { id: 'e5', source: 'answer', sourceHandle: 'failed', target: 'done' },
      ],
    };
    await activeVersion(hours, 'office-hours');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/Chicago' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');

    expect(await t.engine.receiveInbound({ providerId: 'SMkw1', from: phone, body: 'what?' })).toEqual({ outcome: 'no-run' });
    expect(await t.engine.receiveInbound({ providerId: 'SMkw2', from: phone, body: ' hours! ' })).toEqual({ outcome: 'started' });
    await t.work();
    expect(t.texts(phone)).toEqual(['Acme Dental: we are open Mon-Fri 8am-5pm. Reply STOP to opt out.']);
    expect(await t.engine.receiveInbound({ providerId: 'SMkw2', from: phone, body: ' hours! ' })).toEqual({ outcome: 'duplicate' });
    expect(await t.engine.receiveInbound({ providerId: 'SMkw3', from: phone, body: 'Open?' })).toEqual({ outcome: 'started' });
    await t.work();
    expect(t.texts(phone)).toHaveLength(2);
  });

  it("starts a keyword run inside the text's transaction with one query at a time on its connection (pg queues a second only with a warning; pg 9 refuses it)", async () => {
    const t = setup();
    t.at('2026-03-10T15:00:00Z');
    const info = {
      schemaVersion: 1,
      id: 'keyword-one-at-a-time',
      name: 'Info',
      policy: { brand: 'Acme Dental', quietHours: 'strictest' },
      nodes: [
        { id: 'start', type: 'trigger', data: { kind: 'keyword', keywords: ['SCHEDULE'] } },
        { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
        {
          id: 'answer',
          type: 'message.send',
          data: { purpose: 'informational', body: 'Acme Dental: here is our info. Reply STOP to opt out.' },
        },
        { id: 'done', type: 'end' },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
        { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'answer' },
        { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
        { id: 'e4', source: 'answer', sourceHandle: 'sent', target: 'done' },
        { id: 'e5', source: 'answer', sourceHandle: 'failed', target: 'done' },
      ],
    };
    await activeVersion(info, 'keyword-one-at-a-time');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');
    // Every promise query on a client, counted while it is in flight on that client.
    const original = pg.Client.prototype.query;
    const inFlight = new WeakMap<object, number>();
    let overlapping = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const busy = inFlight.get(this) ?? 0;
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (result instanceof Promise) {
        if (busy > 0) overlapping++;
        inFlight.set(this, busy + 1);
        void result.finally(() => inFlight.set(this, (inFlight.get(this) ?? 1) - 1)).catch(() => undefined);
      }
      return result;
    } as typeof original;
    try {
      expect(await t.engine.receiveInbound({ providerId: 'SMkwone1', from: phone, body: 'schedule' })).toEqual({ outcome: 'started' });
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(overlapping).toBe(0);
    await t.work();
    expect(t.texts(phone)).toEqual(['Acme Dental: here is our info. Reply STOP to opt out.']);
  });

  it('refuses to start a run on a version that is not active', async () => {
    const t = setup();
    const pool = t.pool;
    const flows = flowRepository(pool);
    await flows.createFlow({ id: 'draft-only', name: 'Draft', draft: appointmentReminder, savedBy: 'user:1' });
    const draft = await flows.saveVersion('draft-only', { ...(appointmentReminder as object), id: 'draft-only' }, 'test');
    const contact = await makeContact(pool, {});
    await expect(t.engine.startRun({ flowVersionId: draft.id, contactId: contact.id })).rejects.toThrow(
      new EngineError('version-not-active', `version ${draft.id} is draft: only an active version can start runs`),
    );
    expect(await messageRepository(pool).listForContact(contact.id)).toEqual([]);
  });
});

describe('the send-time guard at the moment of sending', () => {
  /** A one-text flow. */
  const note = (purpose: 'informational' | 'marketing') => ({
    schemaVersion: 1,
    id: 'note',
    name: 'Note',
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes: [
      { id: 'start', type: 'trigger', data: { kind: 'api' } },
      { id: 'check', type: 'consent.check', data: { purpose } },
      {
        id: 'note',
        type: 'message.send',
        data: {
          purpose,
          body:
            purpose === 'marketing'
              ? 'Acme Dental: 20% off whitening this week. Reply STOP to opt out.'
              : 'Acme Dental: your statement is ready.',
        },
      },
      { id: 'done', type: 'end' },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
      { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'note' },
      { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
      { id: 'e4', source: 'note', sourceHandle: 'sent', target: 'done' },
      { id: 'e5', source: 'note', sourceHandle: 'failed', target: 'done' },
    ],
  });

  async function sendAt(
    iso: string,
    contactFields: Parameters<typeof makeContact>[1],
    flowId: string,
    purpose: 'informational' | 'marketing' = 'informational',
  ) {
    const t = setup();
    t.at(iso);
    const versionId = await activeVersion(note(purpose), flowId);
    const phone = contactFields?.phone ?? uniquePhone();
    const contact = await makeContact(t.pool, { ...contactFields, phone });
    await grant(contact.id, purpose, '2026-01-01T00:00:00Z');
    await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();
    // The minute it was sent (the harness clock runs on in real time between steps).
    const sentAt = async () => {
      const at = (await t.pool.query(`select sent_at from messages where contact_id = $1 and status = 'sent'`, [contact.id])).rows[0]
        ?.sent_at as Date | undefined;
      return at && new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    };
    return { t, phone, sentAt };
  }

  it('blocks a send due while a STOP from the number is stored but not yet classified (the webhook answered; its job has not run)', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z'); // 10:00 in New York: the hour allows it
    const versionId = await activeVersion(note('informational'), 'note-unprocessed-stop');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    // The text is due (its effect job waits); the STOP arrives by the webhook, which only stores it.
    expect(await t.engine.acceptInbound({ providerId: 'SMstopRace', from: phone, body: 'stop all' })).toBe(true);
    expect(await consentRepository(t.pool).currentConsent(contact.id)).toBe('informational');

    // Every job but the STOP's classification runs first: the send, and the steps after it.
    const { optline_receive_inbound: _classify, ...others } = t.engine.taskList();
    await runOnce({ pgPool: t.pool, taskList: others, concurrency: 1, noHandleSignals: true, logger: quietLogger });
    expect(t.texts(phone)).toEqual([]);
    const sends = await messageRepository(t.pool).listForContact(contact.id);
    expect(sends).toEqual([expect.objectContaining({ status: 'blocked', error: expect.stringMatching(/consent/i) })]);
    expect((await runRepository(t.pool).getRun(runId))?.snapshot.value).toBe('done');

    // Then the STOP is classified: revoked in the ledger, confirmed once, and nothing else sent.
    await t.work();
    expect(await consentRepository(t.pool).currentConsent(contact.id)).toBe('revoked');
    expect(t.texts(phone)).toEqual(["Acme Dental: You're unsubscribed and will get no more texts. Reply START to resubscribe."]);
  });

  it('stores a burst of webhooks in few commits: each text once, one job each; the same id twice in a burst is one text', async () => {
    const t = setup();
    const phone = uniquePhone();
    await makeContact(t.pool, { phone });
    const ids = Array.from({ length: 40 }, (_, i) => `SMburst${String(i).padStart(2, '0')}`);
    const accepted = await Promise.all(
      [...ids, 'SMburst07'].map((id, i) => t.engine.acceptInbound({ providerId: id, from: phone, body: `text ${i}` })),
    );
    expect(accepted.slice(0, 40)).toEqual(Array(40).fill(true));
    expect(accepted[40]).toBe(false); // a replay within the burst
    const { rows } = await t.pool.query<{ provider_sid: string }>(
      `select provider_sid from inbound_texts where provider_sid like 'SMburst%' order by id`,
    );
    // Texts that come at once have no order to keep (as before: concurrent requests commit in any order).
    expect(rows.map((r) => r.provider_sid).sort()).toEqual(ids);
    const jobs = await t.pool.query(
      `select count(*)::int as n from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'optline_receive_inbound' and j.payload->>'providerId' like 'SMburst%'`,
    );
    expect(jobs.rows[0].n).toBe(40);
    // Each is classified once, in order: the run-less contact's texts all end as 'no-run'.
    await t.work();
    const outcomes = await t.pool.query(`select distinct outcome from inbound_texts where provider_sid like 'SMburst%'`);
    expect(outcomes.rows).toEqual([{ outcome: 'no-run' }]);
  });

  it('lets a send through when the unprocessed text from the number is not a STOP', async () => {
    const t = setup();
    t.at('2026-03-10T14:00:00Z');
    const versionId = await activeVersion(note('informational'), 'note-unprocessed-reply');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/New_York' });
    await grant(contact.id, 'informational', '2026-01-01T00:00:00Z');
    await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    expect(await t.engine.acceptInbound({ providerId: 'SMnotStop', from: phone, body: 'what time do you open?' })).toBe(true);
    const { optline_receive_inbound: _classify, ...others } = t.engine.taskList();
    await runOnce({ pgPool: t.pool, taskList: others, concurrency: 1, noHandleSignals: true, logger: quietLogger });
    expect(t.texts(phone)).toEqual(['Acme Dental: your statement is ready.']);
  });

  it('defers a marketing text due at 20:30 for a Florida number (8 pm limit) to 08:00 the next morning there', async () => {
    // 20:30 in Miami (EDT, UTC−4) on Tuesday 10 March 2026; the zone and state come from the number alone.
    const s = await sendAt('2026-03-11T00:30:00Z', { phone: '+13055550123' }, 'florida-evening', 'marketing');
    expect(s.t.texts(s.phone)).toEqual([]);
    await s.t.pass(11 * 3_600_000 + 29 * 60_000); // 07:59 in Miami
    await s.t.work();
    expect(s.t.texts(s.phone)).toEqual([]);
    await s.t.pass(60_000); // 08:00
    await s.t.work();
    expect(s.t.texts(s.phone)).toEqual(['Acme Dental: 20% off whitening this week. Reply STOP to opt out.']);
    expect((await s.sentAt())?.toISOString()).toBe('2026-03-11T12:00:00.000Z');
  });

  it('on the autumn fall-back day, waits for 08:00 on the wall clock (EST, not EDT)', async () => {
    // 21:30 EDT on Saturday 31 October 2026 in New York; clocks fall back at 02:00 on Sunday 1 November.
    const s = await sendAt('2026-11-01T01:30:00Z', { zone: 'America/New_York', state: 'NY' }, 'fall-back');
    expect(s.t.texts(s.phone)).toEqual([]);
    // 07:59 EST is 12:59Z: ten and a half hours on the wall clock, eleven and a half in real time.
    await s.t.pass(11 * 3_600_000 + 29 * 60_000);
    await s.t.work();
    expect(s.t.texts(s.phone)).toEqual([]);
    await s.t.pass(60_000);
    await s.t.work();
    expect((await s.sentAt())?.toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });
});
