import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { listAudit } from '@/lib/db/audit-repository';
import { campaignRepository } from '@/lib/db/campaign-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { withTransaction } from '@/lib/db/queryable';
import { wakeStarts } from '@/lib/runtime/campaign-enrolment';
import { VersionCache } from '@/lib/runtime/versions';
import { activeVersion, engineHarness, grant, quietLogger } from '@/lib/runtime/testing/engine-harness';
import {
  cancelCampaign,
  createCampaign,
  launchCampaign,
  pauseCampaign,
  previewCampaign,
  resumeCampaign,
  type CampaignDeps,
} from './campaigns';
import { createSegment } from './segments';

const database = useTestDatabase();
const keys = contactKeys(TEST_APP_SECRET);
const marketer: Actor = { userId: 'u-ed', email: 'ed@x.test', name: 'Ed', role: 'editor', via: 'session' };
const reviewer: Actor = { userId: 'u-rev', email: 'r@x.test', name: 'Rita', role: 'reviewer', via: 'session' };

/** A marketing text behind a consent check, held outside the contact's hours. */
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
      data: { purpose: 'marketing', body: 'Acme Dental: {{vars.amount}} off whitening. Reply STOP to opt out.' },
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

/** A balance reminder only for contacts who owe something: the branch on the run variable comes before the first text. */
const BALANCE = {
  schemaVersion: 1,
  id: 'balance',
  name: 'Balance',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'owing', type: 'split', data: { on: 'variable', variable: 'amount', cases: [{ handle: 'settled', equals: ['0', '0.00'] }] } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'remind', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: your balance is ${{vars.amount}}.' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'owing' },
    { id: 'e2', source: 'owing', sourceHandle: 'settled', target: 'done' },
    { id: 'e3', source: 'owing', sourceHandle: 'else', target: 'check' },
    { id: 'e4', source: 'check', sourceHandle: 'granted', target: 'remind' },
    { id: 'e5', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e6', source: 'remind', sourceHandle: 'sent', target: 'done' },
    { id: 'e7', source: 'remind', sourceHandle: 'failed', target: 'done' },
  ],
};

// Tuesday 10 March 2026, 20:30 in New York (EDT).
const LAUNCH = '2026-03-11T00:30:00Z';

beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
  await database().pool.query(`update settings set brand = 'Acme Dental', paused_marketing_states = '{LA}'`);
  await activeVersion(database().pool, PROMO, 'promo');
  await activeVersion(database().pool, BALANCE, 'balance');
});

function depsOf(h: ReturnType<typeof engineHarness>): CampaignDeps {
  return { pool: h.pool, keys, clock: h.clock, versions: new VersionCache() };
}

/** Contacts across four zones: consent granted, informational only, revoked, a paused state, a capped number. */
async function audience(tag: string, series: number) {
  const pool = database().pool;
  const contacts = contactRepository(pool, keys);
  const make = (phone: string, fields: { zone: string; state: string }, amount?: string) =>
    contacts.createContact({
      phone: phone.slice(0, -3) + series + phone.slice(-2),
      ...fields,
      tags: [tag],
      ...(amount ? { attributes: { amount_due: amount } } : {}),
    });
  const ny = await make('+12125550101', { zone: 'America/New_York', state: 'NY' }, '20%');
  const fl = await make('+13055550102', { zone: 'America/New_York', state: 'FL' }, '25%');
  const tx = await make('+12145550103', { zone: 'America/Chicago', state: 'TX' }, '10%');
  const co = await make('+13035550104', { zone: 'America/Denver', state: 'CO' });
  const ca = await make('+14155550105', { zone: 'America/Los_Angeles', state: 'CA' }, '5%');
  const info = await make('+14155550106', { zone: 'America/Los_Angeles', state: 'CA' });
  const revoked = await make('+13125550107', { zone: 'America/Chicago', state: 'IL' });
  const paused = await make('+15045550108', { zone: 'America/Chicago', state: 'LA' });
  for (const c of [ny, fl, tx, co, ca, revoked, paused]) await grant(pool, c.id, 'marketing', '2026-03-01T12:00:00Z');
  await grant(pool, info.id, 'informational', '2026-03-01T12:00:00Z');
  await consentRepository(pool).appendConsentEvent({
    contactId: revoked.id,
    action: 'revoke',
    source: 'reply',
    channel: 'sms',
    reply: 'STOP',
    recordedBy: 'test',
    occurredAt: new Date('2026-03-05T12:00:00Z'),
  });
  return { ny, fl, tx, co, ca, info, revoked, paused };
}

describe('campaigns', () => {
  it('previews every contact with the engine’s guard: sent now, held until 08:00 in their zone, or blocked and why; stored and audited', async () => {
    const h = engineHarness(database().pool);
    h.at(LAUNCH);
    const who = await audience('spring', 1);
    const segment = await createSegment(h.pool, marketer, { name: 'Spring', filter: { field: 'tag', tag: 'spring' } });
    const campaign = await createCampaign(depsOf(h), marketer, {
      name: 'Spring promo',
      flowId: 'promo',
      audience: { segmentId: segment.id },
      schedule: { kind: 'now' },
      variables: { amount: 'amount_due' },
      pacePerSecond: 100,
    });
    const preview = await previewCampaign(depsOf(h), marketer, campaign.id);
    // 20:30 in New York: NY's federal window is open (to 21:00); Florida caps marketing at 20:00 (held to 08:00 EDT);
    // Central, Mountain and Pacific are earlier in their evening.
    expect(preview).toMatchObject({ total: 8, send: 4, hold: 1, block: 3 });
    expect(preview.blockedBy.map((b) => [b.rule, b.count]).sort()).toEqual([
      ['consent-required', 2],
      ['state-paused', 1],
    ]);
    expect(preview.histogram).toEqual([
      { zone: 'America/Chicago', localTime: '19:00', count: 1 },
      { zone: 'America/Denver', localTime: '18:00', count: 1 },
      { zone: 'America/Los_Angeles', localTime: '17:00', count: 1 },
      { zone: 'America/New_York', localTime: '08:00', count: 1 },
      { zone: 'America/New_York', localTime: '20:00', count: 1 },
    ]);
    expect(preview.missingVariables).toEqual([{ variable: 'amount', attribute: 'amount_due', contacts: 4 }]);
    const blocked = await campaignRepository(h.pool).blockedPage(campaign.id, { limit: 10 });
    expect(blocked.map((b) => [b.phone, b.rule]).sort()).toEqual(
      [
        [who.info.phone, 'consent-required'],
        [who.revoked.phone, 'consent-required'],
        [who.paused.phone, 'state-paused'],
      ].sort(),
    );
    expect(blocked.find((b) => b.contactId === who.revoked.id)!.reason).toContain('revoked');
    const audit = await listAudit(h.pool, { action: 'campaign.previewed' });
    expect(audit[0]).toMatchObject({ subjectId: campaign.id, details: { total: 8, send: 4, hold: 1, block: 3 } });
    expect((await campaignRepository(h.pool).get(campaign.id))!.preview).toMatchObject({ total: 8 });
  });

  it('previews a flow that branches on a run variable with each contact’s own variables, as the launch then runs it', async () => {
    const h = engineHarness(database().pool);
    h.at(LAUNCH);
    const contacts = contactRepository(h.pool, keys);
    const make = (phone: string, amount?: string) =>
      contacts.createContact({
        phone,
        zone: 'America/New_York',
        state: 'NY',
        tags: ['balance'],
        ...(amount ? { attributes: { amount_due: amount } } : {}),
      });
    const owing = await make('+12125550301', '42.50');
    const settled = await make('+12125550302', '0.00');
    const unknown = await make('+12125550303');
    for (const c of [owing, settled, unknown]) await grant(h.pool, c.id, 'informational', '2026-03-01T12:00:00Z');
    const segment = await createSegment(h.pool, marketer, { name: 'Balance', filter: { field: 'tag', tag: 'balance' } });
    const campaign = await createCampaign(depsOf(h), marketer, {
      name: 'Balance reminder',
      flowId: 'balance',
      audience: { segmentId: segment.id },
      schedule: { kind: 'now' },
      variables: { amount: 'amount_due' },
      pacePerSecond: 100,
    });
    const preview = await previewCampaign(depsOf(h), marketer, campaign.id);
    // The settled contact's run takes the branch to the end: no text. The one without the attribute has no variable: the else branch.
    expect(preview).toMatchObject({ total: 3, send: 2, hold: 0, block: 1 });
    expect(preview.blockedBy).toEqual([{ rule: 'flow', count: 1, example: 'the flow ends before it sends a text' }]);
    expect(preview.missingVariables).toEqual([{ variable: 'amount', attribute: 'amount_due', contacts: 1 }]);
    const blocked = await campaignRepository(h.pool).blockedPage(campaign.id, { limit: 10 });
    expect(blocked.map((b) => [b.contactId, b.rule])).toEqual([[settled.id, 'flow']]);
    // The launch's runs branch the same way on the same variables.
    await launchCampaign(depsOf(h), marketer, campaign.id);
    for (let i = 0; i < 6; i++) await h.work();
    expect(h.texts(owing.phone!)).toEqual(['Acme Dental: your balance is $42.50.']);
    expect(h.texts(settled.phone!)).toEqual([]);
    expect(h.texts(unknown.phone!)).toHaveLength(1);
    expect(await campaignRepository(h.pool).progress(campaign.id, h.clock())).toMatchObject({ enrolled: 3, started: 3, firstTextSent: 2 });
  });

  it('launches in jobs: every contact enrolled once, first texts sent or held as previewed, none to the blocked', async () => {
    const h = engineHarness(database().pool);
    h.at(LAUNCH);
    const who = await audience('launch', 2);
    const segment = await createSegment(h.pool, marketer, { name: 'Launch', filter: { field: 'tag', tag: 'launch' } });
    const campaign = await createCampaign(depsOf(h), marketer, {
      name: 'Launch',
      flowId: 'promo',
      audience: { segmentId: segment.id },
      schedule: { kind: 'now' },
      variables: { amount: 'amount_due' },
      pacePerSecond: 100,
    });
    await expect(launchCampaign(depsOf(h), marketer, campaign.id)).rejects.toThrow(/preview it first/);
    await previewCampaign(depsOf(h), marketer, campaign.id);
    await expect(launchCampaign(depsOf(h), reviewer, campaign.id)).rejects.toThrow(/runs.write/);
    await launchCampaign(depsOf(h), marketer, campaign.id);
    expect((await listAudit(h.pool, { action: 'campaign.launched' }))[0]).toMatchObject({ subjectId: campaign.id });
    for (let i = 0; i < 6; i++) await h.work();
    const repo = campaignRepository(h.pool);
    const progress = await repo.progress(campaign.id, h.clock());
    expect(progress).toMatchObject({ enrolled: 8, started: 8, firstTextSent: 4, held: 1, blocked: 1 });
    // Florida's 8 pm limit: held until 08:00 the next morning in New York's zone (EDT).
    expect(progress.heldUntil).toEqual([{ until: new Date('2026-03-11T12:00:00Z'), zone: 'America/New_York', count: 1 }]);
    expect(h.texts(who.ny.phone!)).toEqual(['Acme Dental: 20% off whitening. Reply STOP to opt out.']);
    expect(h.texts(who.fl.phone!)).toEqual([]);
    for (const c of [who.info, who.revoked, who.paused]) expect(h.texts(c.phone!)).toEqual([]);
    // The next morning in Florida the held text goes.
    await h.pass(12 * 3_600_000);
    for (let i = 0; i < 3; i++) await h.work();
    expect(h.texts(who.fl.phone!)).toEqual(['Acme Dental: 25% off whitening. Reply STOP to opt out.']);
    expect(await repo.progress(campaign.id, h.clock())).toMatchObject({ firstTextSent: 5, held: 0, heldUntil: [] });
  });

  it('starts runs at the pace, whichever job comes: never more than the pace in any second', async () => {
    const h = engineHarness(database().pool);
    h.at(LAUNCH);
    await contactRepository(h.pool, keys).createContacts(
      Array.from({ length: 10 }, (_, i) => ({ phone: `+1646777${String(i).padStart(4, '0')}`, tags: ['paced'], zone: 'America/Chicago' })),
    );
    const campaign = await createCampaign(depsOf(h), marketer, {
      name: 'Paced',
      flowId: 'promo',
      audience: { segmentId: (await createSegment(h.pool, marketer, { name: 'Paced', filter: { field: 'tag', tag: 'paced' } })).id },
      schedule: { kind: 'now' },
      variables: {},
      pacePerSecond: 4,
    });
    await previewCampaign(depsOf(h), marketer, campaign.id);
    await launchCampaign(depsOf(h), marketer, campaign.id);
    // Start jobs beside the chain of slices (as each enrolment batch and a resume add one): the pace holds all the same.
    await withTransaction(h.pool, async (tx) => {
      for (let ms = 1; ms <= 3; ms++) await wakeStarts(tx, campaign.id, new Date(Date.parse(LAUNCH) + ms), h.clock());
    });
    await h.work();
    const { rows } = await h.pool.query<{ at: Date }>(
      'select started_at as at from campaign_enrolments where campaign_id = $1 order by started_at',
      [campaign.id],
    );
    expect(rows).toHaveLength(10);
    const at = rows.map((r) => r.at.getTime());
    for (let i = 4; i < at.length; i++) expect(at[i]! - at[i - 4]!).toBeGreaterThanOrEqual(1000);
  });

  it('enrols exactly once across a crash mid-batch and a retry, and pauses, resumes and cancels', async () => {
    const h = engineHarness(database().pool);
    h.at(LAUNCH);
    const ids = await contactRepository(h.pool, keys).createContacts(
      Array.from({ length: 2500 }, (_, i) => ({ phone: `+1646555${String(i).padStart(4, '0')}`, tags: ['bulk'], zone: 'America/Chicago' })),
    );
    const campaign = await createCampaign(depsOf(h), marketer, {
      name: 'Bulk',
      flowId: 'promo',
      audience: { segmentId: (await createSegment(h.pool, marketer, { name: 'Bulk', filter: { field: 'tag', tag: 'bulk' } })).id },
      schedule: { kind: 'now' },
      variables: {},
      pacePerSecond: 1000,
    });
    await previewCampaign(depsOf(h), marketer, campaign.id);
    await launchCampaign(depsOf(h), marketer, campaign.id);
    // A crash after the batch's enrolments were written but before its transaction ended: a trigger refuses the cursor's
    // move once (a sequence counts the tries: it is not rolled back with the transaction).
    await h.pool.query(`create sequence crash_once;
      create function crash_once() returns trigger language plpgsql as $$ begin
        if nextval('crash_once') = 1 then raise exception 'worker killed'; end if;
        return new; end $$;
      create trigger crash_once before update of enrol_cursor on campaigns for each row execute function crash_once();`);
    await h.work();
    const enrolled = async () =>
      Number((await h.pool.query('select count(*) as n from campaign_enrolments where campaign_id = $1', [campaign.id])).rows[0].n);
    expect(await enrolled()).toBe(0);
    // graphile-worker records the failure (batched) and retries the job later: wait for the record, then bring the retry forward.
    const failed = async () =>
      (await h.pool.query(`select 1 from graphile_worker._private_jobs where last_error = 'worker killed'`)).rowCount;
    for (let i = 0; i < 100 && !(await failed()); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await failed()).toBe(1);
    await h.pool.query(`update graphile_worker._private_jobs set run_at = now() - interval '1 second'`);
    await pauseCampaign(depsOf(h), marketer, campaign.id);
    await h.work();
    expect(await enrolled()).toBe(0);
    await resumeCampaign(depsOf(h), marketer, campaign.id);
    const waiting = async () =>
      Number(
        (await h.pool.query('select count(*) as n from campaign_enrolments where campaign_id = $1 and run_id is null', [campaign.id]))
          .rows[0].n,
      );
    for (let i = 0; i < 20 && (i < 3 || (await waiting()) > 0); i++) {
      await h.work();
      await h.pass(1000); // the pace: a full batch of starts waits a second for the next
    }
    const { rows } = await h.pool.query<{ n: string; distinct_contacts: string; runs: string; distinct_runs: string }>(
      `select count(*) as n, count(distinct contact_id) as distinct_contacts, count(run_id) as runs, count(distinct run_id) as distinct_runs
       from campaign_enrolments where campaign_id = $1`,
      [campaign.id],
    );
    expect(rows[0]).toEqual({ n: '2500', distinct_contacts: '2500', runs: '2500', distinct_runs: '2500' });
    const runsOfCampaignContacts = await h.pool.query(`select count(*) as n from runs where contact_id = any($1::uuid[])`, [ids]);
    expect(Number(runsOfCampaignContacts.rows[0].n)).toBe(2500);
    const cancelled = await cancelCampaign(depsOf(h), marketer, campaign.id, { stopRuns: true });
    expect(cancelled.campaign.status).toBe('cancelled');
    await expect(resumeCampaign(depsOf(h), marketer, campaign.id)).rejects.toThrow(/cancelled/);
  });
});
