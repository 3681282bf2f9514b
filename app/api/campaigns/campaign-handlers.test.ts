import { runMigrations, runOnce } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs } from '@/lib/auth/testing/actors';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { apiRequest } from '@/lib/http/testing/api-request';
import { createServices } from '@/lib/runtime/services';
import { activeVersion, grant, quietLogger } from '@/lib/runtime/testing/engine-harness';
import { campaignDetailResponse, campaignHandlers, campaignPreviewResponse, campaignSavedResponse } from './campaign-handlers';

const db = useTestDatabase();
// Tuesday 10 March 2026, 20:30 in New York.
const NOW = new Date('2026-03-11T00:30:00Z');
const services = async () => createServices(db().pool, parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }), () => NOW);
const api = (role: 'editor' | 'reviewer' = 'editor') => campaignHandlers({ authenticate: signedInAs(role), services });
const post = (body?: unknown) => apiRequest('http://test/api/campaigns', { method: 'POST', ...(body === undefined ? {} : { body }) });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; path?: string; message: string } }).error;

const FLOW = {
  schemaVersion: 1,
  id: 'bill',
  name: 'Bill',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'remind', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: your bill of {{vars.amount}} is due.' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'remind' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'remind', sourceHandle: 'sent', target: 'done' },
    { id: 'e5', source: 'remind', sourceHandle: 'failed', target: 'done' },
  ],
};

beforeAll(async () => {
  await runMigrations({ pgPool: db().pool, logger: quietLogger });
  await activeVersion(db().pool, FLOW, 'bill');
});

describe('/api/campaigns', () => {
  it('answers bad input with a 4xx naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ flowId: 'bill', audience: { importId: '00000000-0000-4000-8000-000000000000' }, schedule: { kind: 'now' } }, 'name'],
      [{ name: 'x', flowId: 'Bill!', audience: { importId: '00000000-0000-4000-8000-000000000000' }, schedule: { kind: 'now' } }, 'flowId'],
      [{ name: 'x', flowId: 'bill', audience: {}, schedule: { kind: 'now' } }, 'audience'],
      [{ name: 'x', flowId: 'bill', audience: { contactIds: ['x'] }, schedule: { kind: 'now' } }, 'audience.contactIds[0]'],
      [
        { name: 'x', flowId: 'bill', audience: { contactIds: [] }, schedule: { kind: 'local', date: '2026-02-30', at: '08:00' } },
        'audience.contactIds',
      ],
      [
        {
          name: 'x',
          flowId: 'bill',
          audience: { importId: '00000000-0000-4000-8000-000000000000' },
          schedule: { kind: 'local', date: '2026-02-30', at: '08:00' },
        },
        'schedule.date',
      ],
      [
        {
          name: 'x',
          flowId: 'bill',
          audience: { importId: '00000000-0000-4000-8000-000000000000' },
          schedule: { kind: 'now' },
          pacePerSecond: 5000,
        },
        'pacePerSecond',
      ],
      [
        {
          name: 'x',
          flowId: 'bill',
          audience: { importId: '00000000-0000-4000-8000-000000000000' },
          schedule: { kind: 'now' },
          variables: { '1x': 'a' },
        },
        'variables["1x"]',
      ],
      [{ name: 'x', flowId: 'nope', audience: { importId: '00000000-0000-4000-8000-000000000000' }, schedule: { kind: 'now' } }, 'flowId'],
      [
        { name: 'x', flowId: 'bill', audience: { segmentId: '00000000-0000-4000-8000-000000000000' }, schedule: { kind: 'now' } },
        'audience.segmentId',
      ],
    ];
    for (const [body, path] of cases) {
      const res = await api().create(post(body));
      expect([400, 422], JSON.stringify(body)).toContain(res.status);
      expect((await errorOf(res)).path, JSON.stringify(body)).toBe(path);
    }
    const missing = await api().get(apiRequest('http://test/api/campaigns/x'), ctx('00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect((await api('reviewer').create(post({}))).status).toBe(403);
  });

  it('creates, previews, downloads the blocked as CSV, launches and shows progress', async () => {
    const contacts = contactRepository(db().pool, contactKeys(TEST_APP_SECRET));
    const ok = await contacts.createContact({
      phone: '+12125550150',
      zone: 'America/Chicago',
      state: 'IL',
      attributes: { amount: '$42.50' },
    });
    const none = await contacts.createContact({ phone: '+12125550151', zone: 'America/Chicago', state: 'IL' });
    await grant(db().pool, ok.id, 'informational', '2026-03-01T12:00:00Z');
    const created = await api().create(
      post({
        name: 'March bills',
        flowId: 'bill',
        audience: { contactIds: [ok.id, none.id] },
        schedule: { kind: 'now' },
        variables: { amount: 'amount' },
      }),
    );
    expect(created.status).toBe(201);
    const { campaign } = campaignSavedResponse.parse(await created.json());
    expect(campaign).toMatchObject({ status: 'draft', pacePerSecond: 1 });
    const early = await api().launch(post(), ctx(campaign.id));
    expect(early.status).toBe(409);

    const previewed = campaignPreviewResponse.parse(await (await api().preview(post(), ctx(campaign.id))).json());
    expect(previewed.preview).toMatchObject({
      total: 2,
      send: 1,
      hold: 0,
      block: 1,
      missingVariables: [{ variable: 'amount', contacts: 1 }],
    });
    const csv = await (await api().blockedCsv(apiRequest(`http://test/api/campaigns/${campaign.id}/blocked.csv`), ctx(campaign.id))).text();
    const lines = csv
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('phone,contact_id,rule,reason');
    // A leading + is quoted (csvCell): a spreadsheet must not read the number as a formula.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^'\\+12125550151,${none.id},consent-required,no informational consent`)),
    ]);

    const launched = await api().launch(post(), ctx(campaign.id));
    expect(campaignSavedResponse.parse(await launched.json()).campaign.status).toBe('enrolling');
    const detail = campaignDetailResponse.parse(await (await api().get(apiRequest('http://test'), ctx(campaign.id))).json());
    expect(detail.progress.enrolled).toBe(0); // enrolment happens in jobs, never in the request
    const paused = await api().pause(post(), ctx(campaign.id));
    expect(campaignSavedResponse.parse(await paused.json()).campaign.status).toBe('paused');
    const cancelled = await api().cancel(post({ stopRuns: true }), ctx(campaign.id));
    expect(await cancelled.json()).toMatchObject({ campaign: { status: 'cancelled' }, stoppedRuns: 0 });
  });
  it('tells, once launched, how many texts are held and until when in their zone', async () => {
    // 21:30 in New York, 20:30 in Chicago: the New York text waits for 08:00 there; Chicago's goes.
    const late = new Date('2026-03-11T01:30:00Z');
    const lateServices = async () => createServices(db().pool, parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }), () => late);
    const lateApi = campaignHandlers({ authenticate: signedInAs('editor'), services: lateServices });
    const contacts = contactRepository(db().pool, contactKeys(TEST_APP_SECRET));
    const ny = await contacts.createContact({ phone: '+12125550152', zone: 'America/New_York', state: 'NY' });
    const il = await contacts.createContact({ phone: '+13125550153', zone: 'America/Chicago', state: 'IL' });
    for (const c of [ny, il]) await grant(db().pool, c.id, 'informational', '2026-03-01T12:00:00Z');
    const created = await lateApi.create(
      post({ name: 'Held', flowId: 'bill', audience: { contactIds: [ny.id, il.id] }, schedule: { kind: 'now' }, pacePerSecond: 100 }),
    );
    const { campaign } = campaignSavedResponse.parse(await created.json());
    await lateApi.preview(post(), ctx(campaign.id));
    await lateApi.launch(post(), ctx(campaign.id));
    const s = await lateServices();
    await runOnce({ pgPool: db().pool, taskList: s.engine.taskList(), concurrency: 1, noHandleSignals: true, logger: quietLogger });
    const detail = campaignDetailResponse.parse(await (await lateApi.get(apiRequest('http://test'), ctx(campaign.id))).json());
    expect(detail.progress).toMatchObject({ enrolled: 2, firstTextSent: 1, held: 1 });
    expect(detail.progress.heldUntil).toEqual([{ until: '2026-03-11T12:00:00.000Z', zone: 'America/New_York', count: 1 }]);
  });
});
