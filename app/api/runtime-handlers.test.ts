import { Logger, runOnce } from 'graphile-worker';
import { apiRequest } from '@/lib/http/testing/api-request';
import { signedInAs } from '@/lib/auth/testing/actors';
import { describe, expect, it } from 'vitest';
import { consentRepository } from '@/lib/db/consent-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { TEST_APP_SECRET, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { createServices } from '@/lib/runtime/services';
import type { Actor } from '@/lib/access/roles';
import { contactHandlers } from './contacts/contact-handlers';
import { contactKeys } from '@/lib/db/contact-repository';
import { flowHandlers } from './flows/handlers';
import { runtimeHandlers } from './runtime-handlers';
import { versionHandlers } from './versions/handlers';

const db = useTestDatabase();
// A Tuesday, 10:00 in New York: inside every calling window.
const NOW = new Date('2026-03-10T15:00:00Z');
const services = () => createServices(db().pool, parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }), () => NOW);
const api = runtimeHandlers(async () => services(), signedInAs('editor'));
const contactsApi = contactHandlers({
  authenticate: signedInAs('editor'),
  pool: async () => db().pool,
  keys: () => contactKeys(TEST_APP_SECRET),
});
const flows = flowHandlers(async () => db().pool, signedInAs('editor'));
const EDITOR: Actor = { userId: 'u-editor', email: 'e@x.test', name: 'Ed', role: 'editor', via: 'session' };
const REVIEWER: Actor = { userId: 'u-reviewer', email: 'r@x.test', name: 'Rae', role: 'reviewer', via: 'session' };
const versionsAs = (actor: Actor) => versionHandlers({ authenticate: async () => actor, pool: async () => db().pool });
const work = async () => {
  const s = services();
  await runOnce({
    pgPool: db().pool,
    taskList: s.engine.taskList(),
    concurrency: 1,
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
  });
};

const post = (body: unknown) => apiRequest('http://test/api', { method: 'POST', body });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

const flowDoc = (id: string, trigger: object, purpose: 'informational' | 'marketing' = 'informational') => ({
  schemaVersion: 1,
  id,
  name: id,
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: trigger },
    { id: 'check', type: 'consent.check', data: { purpose } },
    {
      id: 'hello',
      type: 'message.send',
      data: {
        purpose,
        body:
          purpose === 'marketing'
            ? 'Acme Dental: 20% off whitening this week. Reply STOP to opt out.'
            : 'Acme Dental: your bill of {{vars.amount}} is ready.',
      },
    },
    { id: 'wait', type: 'wait.delay', data: { duration: 'P1D' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'hello' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'hello', sourceHandle: 'sent', target: 'wait' },
    { id: 'e5', source: 'hello', sourceHandle: 'failed', target: 'done' },
    { id: 'e6', source: 'wait', sourceHandle: 'next', target: 'done' },
  ],
});

async function liveFlow(doc: object): Promise<string> {
  const imported = await flows.importFlow(post({ document: doc }));
  expect(imported.status).toBe(201);
  const { flow } = await imported.json();
  await approveAndActivate(flow.id);
  return flow.id;
}

/** Submits the flow's draft as the editor, approves and activates it as the reviewer; returns the activation's response. */
async function approveAndActivate(flowId: string): Promise<Response> {
  const submitted = await versionsAs(EDITOR).submit(post({}), ctx(flowId));
  expect(submitted.status).toBe(201);
  const { version } = await submitted.json();
  const vctx = { params: Promise.resolve({ versionId: version.id as string }) };
  const detail = await (await versionsAs(REVIEWER).get(new Request('http://test'), vctx)).json();
  const decided = await versionsAs(REVIEWER).review(
    post({ decision: 'approved', acknowledgedWarnings: detail.report.warnings.map((w: { key: string }) => w.key) }),
    vctx,
  );
  if (decided.status !== 201) return decided;
  const activated = await versionsAs(REVIEWER).activate(post({}), vctx);
  expect(activated.status).toBe(200);
  return activated;
}

async function newContact(extra: object = {}): Promise<string> {
  const res = await api.createContact(
    post({
      phone: uniquePhone(),
      zone: 'America/New_York',
      name: 'Sam Lee',
      consent: {
        purpose: 'marketing',
        source: 'web_form',
        text: 'I agree to receive texts from Acme Dental. Reply STOP to opt out.',
        at: '2026-03-01T12:00:00Z',
      },
      ...extra,
    }),
  );
  expect(res.status).toBe(201);
  return (await res.json()).contact.id;
}

describe('contacts API', () => {
  it('creates a contact in E.164 with the consent evidence in the ledger', async () => {
    const res = await api.createContact(
      post({
        phone: '(212) 555-0142',
        zip: '10001',
        state: 'ny',
        consent: { purpose: 'informational', source: 'api', text: 'Billing texts', at: '2026-03-01T12:00:00Z' },
      }),
    );
    expect(res.status).toBe(201);
    const { contact } = await res.json();
    expect(contact).toMatchObject({ phone: '+12125550142', zip: '10001', state: 'NY' });
    expect(await consentRepository(db().pool).currentConsent(contact.id)).toBe('informational');
    const found = await contactsApi.list(new Request('http://test/api/contacts?phone=2125550142'));
    expect(await found.json()).toMatchObject({ contact: { id: contact.id }, consent: 'informational' });
    const again = await api.createContact(post({ phone: '+1 212 555 0142' }));
    expect(again.status).toBe(409);
    expect((await again.json()).error.path).toBe('phone');
  });

  it('answers bad input with a 400 naming the field, and stores nothing', async () => {
    const phone = uniquePhone();
    const cases: [unknown, string][] = [
      [{ phone: 'call me maybe' }, 'phone'],
      [{}, 'phone'],
      [{ phone, zone: 'Mars/Olympus' }, 'zone'],
      [{ phone, state: 'ZZ' }, 'state'],
      [{ phone, zip: '123' }, 'zip'],
      [{ phone, dateOfBirth: '1980-02-31' }, 'dateOfBirth'],
      [{ phone, consent: { purpose: 'marketing', source: 'web_form', at: '2026-03-01T12:00:00Z' } }, 'consent.text'],
      [{ phone, consent: { purpose: 'promo', source: 'web_form', text: 'x', at: '2026-03-01T12:00:00Z' } }, 'consent.purpose'],
      [{ phone, nickname: 'x' }, ''],
    ];
    for (const [body, path] of cases) {
      const res = await api.createContact(post(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (path) expect((await res.json()).error.path).toBe(path);
    }
    expect((await contactsApi.list(new Request(`http://test/api/contacts?phone=${encodeURIComponent(phone)}`))).status).toBe(404);
  });
});

describe('runs API', () => {
  it('starts a run on the active version, runs it, and shows its state and timeline', async () => {
    const flowId = await liveFlow(flowDoc('bill-notice', { kind: 'api' }));
    const contactId = await newContact();
    const res = await api.startRun(post({ flowId, contactId, vars: { amount: '$42.50' } }));
    expect(res.status).toBe(201);
    const { run } = await res.json();
    await work();
    const viewNow = async () => (await api.getRun(new Request('http://test'), ctx(run.id))).json();
    // The sandbox reports the text's statuses after the send, as Twilio's callbacks come: it ends delivered.
    await expect
      .poll(async () => (await viewNow()).timeline.find((t: { kind: string }) => t.kind === 'message')?.status, { timeout: 10_000 })
      .toBe('delivered');
    const view = await viewNow();
    expect(view.run).toMatchObject({ id: run.id, status: 'active', flowId, version: 1, node: 'wait' });
    expect(view.timeline.filter((t: { kind: string }) => t.kind === 'message')).toEqual([
      expect.objectContaining({ direction: 'outbound', body: 'Acme Dental: your bill of $42.50 is ready.', status: 'delivered' }),
    ]);
    expect(view.timeline.some((t: { event: string | null }) => t.event === 'sms.sent')).toBe(true);

    const cancel = await api.cancelRun(post({}), ctx(run.id));
    expect(cancel.status).toBe(200);
    expect((await (await api.getRun(new Request('http://test'), ctx(run.id))).json()).run).toMatchObject({
      status: 'stopped',
      stopReason: 'cancelled by Editor',
      node: null,
    });
    expect((await api.cancelRun(post({}), ctx(run.id))).status).toBe(409);
  });

  it('refuses what cannot run with a 4xx that says why', async () => {
    const contactId = await newContact();
    const draftOnly = await flows.importFlow(post({ document: flowDoc('not-live', { kind: 'api' }) }));
    const { flow } = await draftOnly.json();
    const cases: [unknown, number, string][] = [
      [{ flowId: flow.id, contactId }, 409, 'has no active version'],
      [{ flowId: 'nope', contactId }, 404, 'there is no flow'],
      [{ flowId: flow.id, contactId: 'abc' }, 400, 'contactId'],
      [{ flowId: flow.id, contactId, vars: [] }, 400, 'vars'],
    ];
    for (const [body, status, text] of cases) {
      const res = await api.startRun(post(body));
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(await res.json())).toContain(text);
    }
    const missingContact = await liveFlow(flowDoc('live-2', { kind: 'api' }));
    expect((await api.startRun(post({ flowId: missingContact, contactId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
    expect((await api.getRun(new Request('http://test'), ctx('not-a-uuid'))).status).toBe(400);
    expect((await api.getRun(new Request('http://test'), ctx('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('submits, approves and activates only a flow without compliance errors, pausing the previous version', async () => {
    const bad = flowDoc('promo-unchecked', { kind: 'api' }, 'marketing');
    bad.edges = bad.edges.map((e) => (e.id === 'e1' ? { ...e, target: 'hello' } : e));
    const imported = await (await flows.importFlow(post({ document: bad }))).json();
    // Refused at submission already: a version with errors could never be approved.
    const refused = await versionsAs(EDITOR).submit(post({}), ctx(imported.flow.id));
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('consent-required');

    const flowId = await liveFlow(flowDoc('two-versions', { kind: 'api' }));
    const draft = { ...flowDoc(flowId, { kind: 'api' }), name: 'renamed' };
    expect((await flows.save(apiRequest('http://test', { method: 'PUT', body: { draft } }), ctx(flowId))).status).toBe(200);
    const second = await (await approveAndActivate(flowId)).json();
    expect(second.version).toMatchObject({ version: 2, status: 'active' });
    const versions = await flowRepository(db().pool).listVersions(flowId);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'active'],
      [1, 'paused'],
    ]);
  });
});

describe('scheduled runs', () => {
  it('enrols a contact in a schedule flow: the run starts at the trigger time in their zone, once per day', async () => {
    // The appointment reminder starts at 10:00 the patient's time.
    const template = (await import('@/workflows/appointment-reminder.json')).default;
    const flowId = await liveFlow({ ...template, id: 'reminders' });
    const contactId = await newContact({ zone: 'America/Chicago' });
    const enrol = () =>
      api.startRun(post({ flowId, contactId, vars: { appointment_date: 'March 12', appointment_time: '3:00 PM' }, on: '2026-03-11' }));
    const res = await enrol();
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ scheduled: { flowId, contactId, on: '2026-03-11', at: '2026-03-11T15:00:00.000Z' } });
    expect((await enrol()).status).toBe(202);
    const jobs = async () =>
      (await db().pool.query(`select key from graphile_worker.jobs where task_identifier = 'optline_start_scheduled_run'`)).rows.map(
        (r) => r.key,
      );
    expect(await jobs()).toEqual([`schedule:${flowId}:${contactId}:2026-03-11`]);

    // When it falls due, the run starts on the active version.
    await db().pool.query(`update graphile_worker._private_jobs set run_at = now() where key = $1`, [
      `schedule:${flowId}:${contactId}:2026-03-11`,
    ]);
    await work();
    const { rows } = await db().pool.query('select status from runs where contact_id = $1', [contactId]);
    expect(rows).toEqual([{ status: expect.stringMatching(/active|done/) }]);
  });

  it('refuses a date that has passed, is not a real date, or a flow that does not start on a schedule', async () => {
    const template = (await import('@/workflows/appointment-reminder.json')).default;
    const flowId = await liveFlow({ ...template, id: 'reminders-2' });
    const contactId = await newContact({ zone: 'America/Chicago' });
    const past = await api.startRun(post({ flowId, contactId, on: '2026-03-09' }));
    expect(past.status).toBe(422);
    expect((await past.json()).error.message).toContain('has passed');
    expect((await api.startRun(post({ flowId, contactId, on: '2026-13-01' }))).status).toBe(400);
    const now = await liveFlow(flowDoc('not-scheduled', { kind: 'api' }));
    const res = await api.startRun(post({ flowId: now, contactId, on: '2026-03-11' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.path).toBe('on');
  });
});

describe('events API', () => {
  it('starts the flows the event triggers, once per key', async () => {
    const flowId = await liveFlow(flowDoc('on-bill', { kind: 'event', event: 'bill_issued' }));
    const contactId = await newContact();
    const first = await api.event(post({ contactId, name: 'bill_issued', data: { amount: '$10.00' }, key: 'bill-778' }));
    expect(first.status).toBe(202);
    const body = await first.json();
    expect(body.started).toEqual([{ runId: expect.any(String), flowId }]);
    const replay = await api.event(post({ contactId, name: 'bill_issued', data: { amount: '$10.00' }, key: 'bill-778' }));
    expect(await replay.json()).toEqual({ duplicate: true, started: [], delivered: [] });
    await work();
    const view = await (await api.getRun(new Request('http://test'), ctx(body.started[0].runId))).json();
    expect(view.timeline.find((t: { kind: string }) => t.kind === 'message').body).toBe('Acme Dental: your bill of $10.00 is ready.');

    // Another event name starts nothing, and is handed to the running flow (which ignores what it does not wait for).
    const other = await (await api.event(post({ contactId, name: 'bill_paid' }))).json();
    expect(other).toMatchObject({ started: [], delivered: [body.started[0].runId] });
    expect((await api.event(post({ contactId: '00000000-0000-4000-8000-000000000000', name: 'bill_paid' }))).status).toBe(404);
    expect((await api.event(post({ contactId, name: 'Bill Paid!' }))).status).toBe(400);
  });
});

describe('who may call the runtime API', () => {
  it('answers 401 to nobody and 403 to a role without the permission, before reading the body', async () => {
    const nobody = runtimeHandlers(async () => services(), signedInAs(null));
    const reviewer = runtimeHandlers(async () => services(), signedInAs('reviewer'));
    const res = await nobody.startRun(post({ flowId: 'x', contactId: 'y' }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthenticated');
    const denied = await reviewer.cancelRun(post('{not json'), ctx('00000000-0000-4000-8000-000000000000'));
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.message).toMatch(/reviewer role may not do this: it needs the "runs.write" permission/);
    expect((await reviewer.createContact(post({ phone: uniquePhone() }))).status).toBe(403);
    // Reading is open to every role.
    expect((await reviewer.getRun(post(''), ctx('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });
});
