import { beforeAll, describe, expect, it } from 'vitest';
import { actorFor } from '@/lib/auth/testing/actors';
import type { Actor } from '@/lib/access/roles';
import { campaignRepository } from '@/lib/db/campaign-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactKeys } from '@/lib/db/contact-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { segmentRepository } from '@/lib/db/segment-repository';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { AppError } from '@/lib/app-error';
import { auditLogPage, keywordSettings, ownAccount, ownTokens, userList } from './admin';
import { campaignDetail, campaignFunnels, campaignsPage } from './campaigns';
import { consentLedgerPage } from './consent-ledger';
import { contactDetail, contactSearchPage } from './contacts';
import {
  draftReadiness,
  flowById,
  flowList,
  flowReadOnly,
  flowReviewStatuses,
  flowVersions,
  reviewQueuePage,
  reviewQueueSize,
  versionReview,
} from './flows';
import { segmentDetail, segmentsPage } from './segments';
import type { DataSource } from './source';
import { disabledWebhookEndpoints, webhookEndpointList } from './webhooks';

const db = useTestDatabase();

/** The test's database, counting each time a function reaches for it: a refused caller must not reach it at all. */
function countingSource() {
  const source = {
    reached: 0,
    pool: async () => {
      source.reached++;
      return db().pool;
    },
    contactKeys: () => {
      source.reached++;
      return contactKeys(TEST_APP_SECRET);
    },
  } satisfies DataSource & { reached: number };
  return source;
}

const NAME = 'Quintessa Vanderquill';
const CONSENT_TEXT = 'Send me periwinkle marmot bulletins';
let contactId = '';
let versionId = '';
let segmentId = '';
let campaignId = '';
const NOW = new Date('2026-03-10T15:00:00Z');

beforeAll(async () => {
  const { pool } = db();
  await pool.query(
    `insert into "auth_users" ("id", "name", "email", "emailVerified", "role") values ('user-admin', 'Ada Admin', 'ada@clinic.test', true, 'admin')`,
  );
  const contact = await makeContact(pool, { name: NAME });
  contactId = contact.id;
  await consentRepository(pool).appendConsentEvent({
    contactId,
    action: 'grant',
    purpose: 'marketing',
    source: 'web_form',
    channel: 'web',
    textShown: CONSENT_TEXT,
    recordedBy: 'user-admin',
    occurredAt: new Date('2026-02-01T15:00:00Z'),
  });
  const flows = flowRepository(pool);
  await flows.createFlow({ id: 'halcyon', name: 'Halcyon Quokka Reminders', draft: { id: 'halcyon' }, savedBy: 'user-admin' });
  versionId = (await flows.submitVersion('halcyon', { id: 'halcyon' }, 'user-admin')).version.id;
  // A segment of the planted contact and a launched campaign to it (at repository level: the readers only read them).
  const filter = { field: 'contact' as const, ids: [contactId] };
  segmentId = (await segmentRepository(pool).create({ name: 'Marmot Enthusiasts', filter, createdBy: 'user-admin' })).id;
  const campaigns = campaignRepository(pool);
  campaignId = (
    await campaigns.create({
      name: 'Periwinkle Launch',
      flowVersionId: versionId,
      audience: { kind: 'segment', segmentId, segmentName: 'Marmot Enthusiasts', filter },
      schedule: { kind: 'now' },
      variables: {},
      pacePerSecond: 1,
      createdBy: 'user-admin',
    })
  ).id;
  await campaigns.setStatus(campaignId, 'enrolling', ['draft'], { launchedBy: 'user-admin', at: NOW, startsAt: NOW });
});

// A signed-in role without the permission, an API token whose scopes leave it out, a role still to enrol its second factor.
const tokenWithout = (role: Actor['role']): Actor => ({
  ...actorFor(role),
  via: 'token',
  token: { id: 'tok-1', scopes: ['flows.transfer'] },
});
const enrolling: Actor = { ...actorFor('reviewer'), mustEnrolTwoFactor: true };

type Call = (actor: Actor | null, source: DataSource) => Promise<unknown>;
const READERS: [string, Call][] = [
  ['consentLedgerPage', (a, s) => consentLedgerPage(a, {}, s)],
  ['contactSearchPage', (a, s) => contactSearchPage(a, { q: 'vanderquill' }, s)],
  ['contactDetail', (a, s) => contactDetail(a, contactId, s)],
  ['flowList', (a, s) => flowList(a, s)],
  ['flowById', (a, s) => flowById(a, 'halcyon', s)],
  ['flowVersions', (a, s) => flowVersions(a, 'halcyon', s)],
  ['versionReview', (a, s) => versionReview(a, versionId, s)],
  ['flowReviewStatuses', (a, s) => flowReviewStatuses(a, s)],
  ['draftReadiness', (a, s) => draftReadiness(a, 'halcyon', s)],
  ['flowReadOnly', (a, s) => flowReadOnly(a, 'halcyon', s)],
  ['keywordSettings', (a, s) => keywordSettings(a, s)],
  ['ownAccount', (a, s) => ownAccount(a, s)],
  ['campaignsPage', (a, s) => campaignsPage(a, s)],
  ['campaignDetail', (a, s) => campaignDetail(a, campaignId, NOW, s)],
  ['campaignFunnels', (a, s) => campaignFunnels(a, NOW, s)],
  ['segmentsPage', (a, s) => segmentsPage(a, s)],
  ['segmentDetail', (a, s) => segmentDetail(a, segmentId, s)],
];

async function refusal(call: Call, actor: Actor | null): Promise<{ code: string | undefined; reached: number }> {
  const source = countingSource();
  const err = await call(actor, source).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return { code: (err as AppError).code, reached: source.reached };
}

describe('the pages’ data is read only for an actor allowed to read it', () => {
  it.each(READERS)('%s refuses nobody (unauthenticated) before it reaches the database', async (_name, call) => {
    expect(await refusal(call, null)).toEqual({ code: 'unauthenticated', reached: 0 });
  });

  it.each(READERS)(
    '%s refuses a token without "read" and a role still to enrol two-factor (forbidden) before it reaches the database',
    async (_name, call) => {
      expect(await refusal(call, tokenWithout('developer'))).toEqual({ code: 'forbidden', reached: 0 });
      expect(await refusal(call, enrolling)).toEqual({ code: 'forbidden', reached: 0 });
    },
  );

  it('auditLogPage refuses a role without "audit.export", userList one without "users.manage", ownTokens one without "tokens.manage", before the database', async () => {
    expect(await refusal((a, s) => auditLogPage(a, s), actorFor('editor'))).toEqual({ code: 'forbidden', reached: 0 });
    expect(await refusal((a, s) => auditLogPage(a, s), null)).toEqual({ code: 'unauthenticated', reached: 0 });
    expect(await refusal((a, s) => userList(a, s), actorFor('reviewer'))).toEqual({ code: 'forbidden', reached: 0 });
    expect(await refusal((a, s) => userList(a, s), null)).toEqual({ code: 'unauthenticated', reached: 0 });
    expect(await refusal((a, s) => ownTokens(a, s), actorFor('reviewer'))).toEqual({ code: 'forbidden', reached: 0 });
    expect(await refusal((a, s) => ownTokens(a, s), null)).toEqual({ code: 'unauthenticated', reached: 0 });
  });

  it('webhookEndpointList and disabledWebhookEndpoints refuse a role without "webhooks.manage" before the database, and serve an admin', async () => {
    for (const call of [
      (a: Actor | null, s: DataSource) => webhookEndpointList(a, s),
      (a: Actor | null, s: DataSource) => disabledWebhookEndpoints(a, s),
    ]) {
      for (const role of ['editor', 'developer', 'reviewer'] as const) {
        expect(await refusal(call, actorFor(role))).toEqual({ code: 'forbidden', reached: 0 });
      }
      expect(await refusal(call, enrolling)).toEqual({ code: 'forbidden', reached: 0 });
      expect(await refusal(call, null)).toEqual({ code: 'unauthenticated', reached: 0 });
      expect(await call(actorFor('admin'), countingSource())).toEqual([]);
    }
  });

  it('reviewQueuePage and reviewQueueSize refuse a role without "reviews.decide" before the database', async () => {
    for (const call of [
      (a: Actor | null, s: DataSource) => reviewQueuePage(a, s),
      (a: Actor | null, s: DataSource) => reviewQueueSize(a, s),
    ]) {
      expect(await refusal(call, actorFor('editor'))).toEqual({ code: 'forbidden', reached: 0 });
      expect(await refusal(call, actorFor('owner'))).toEqual({ code: 'forbidden', reached: 0 });
      expect(await refusal(call, enrolling)).toEqual({ code: 'forbidden', reached: 0 });
      expect(await refusal(call, null)).toEqual({ code: 'unauthenticated', reached: 0 });
    }
  });

  it('gives a reviewer the submitted version in the queue, with its author, and the author sees it as theirs', async () => {
    const queue = await reviewQueuePage(actorFor('reviewer'), countingSource());
    expect(queue.awaiting.map((i) => [i.flowName, i.version, i.submittedBy, i.verdict])).toEqual([
      ['Halcyon Quokka Reminders', 1, 'user-admin', { invalid: true }],
    ]);
    expect(queue.people['user-admin']).toBe('Ada Admin');
    expect(await reviewQueueSize(actorFor('reviewer'), countingSource())).toBe(1);
    const author = { ...actorFor('reviewer'), userId: 'user-admin' };
    expect(await reviewQueueSize(author, countingSource())).toBe(0);
    expect((await reviewQueuePage(author, countingSource())).authored.map((i) => i.authorship)).toEqual(['you submitted version 1']);
  });

  it('gives a reader the planted contact, consent text and flow', async () => {
    const reader = actorFor('developer');
    const s = countingSource();
    const ledger = await consentLedgerPage(reader, {}, s);
    expect(ledger.events.map((e) => [e.textShown, ledger.people.get(e.contactId)?.name])).toEqual([[CONSENT_TEXT, NAME]]);
    expect((await contactSearchPage(reader, { q: 'vanderquill' }, s)).items.map((i) => i.contact.name)).toEqual([NAME]);
    expect((await contactDetail(reader, contactId, s))?.events.map((e) => e.textShown)).toEqual([CONSENT_TEXT]);
    expect((await flowList(reader, s)).map((f) => f.name)).toEqual(['Halcyon Quokka Reminders']);
    expect((await flowVersions(reader, 'halcyon', s)).people).toEqual({ 'user-admin': 'Ada Admin' });
    expect((await versionReview(reader, versionId, s)).detail.flow.name).toBe('Halcyon Quokka Reminders');
    expect(await flowReviewStatuses(reader, s)).toEqual({
      halcyon: { versionId, version: 1, status: 'submitted', statusChangedAt: expect.any(String) },
    });
    expect((await draftReadiness(reader, 'halcyon', s))?.errors.length).toBeGreaterThan(0);
    expect(await draftReadiness(reader, 'no-such-flow', s)).toBeUndefined();
  });

  it('gives a reader the planted segment and campaign, with the campaign’s funnel', async () => {
    const reader = actorFor('reviewer');
    const s = countingSource();
    const campaigns = await campaignsPage(reader, s);
    expect(campaigns.campaigns.map((c) => [c.name, c.status])).toEqual([['Periwinkle Launch', 'enrolling']]);
    expect(campaigns.choices.segments).toEqual([{ id: segmentId, name: 'Marmot Enthusiasts' }]);
    const detail = await campaignDetail(reader, campaignId, NOW, s);
    expect([detail?.campaign.name, detail?.progress.enrolled]).toEqual(['Periwinkle Launch', 0]);
    expect(await campaignDetail(reader, 'not-a-uuid', NOW, s)).toBeUndefined();
    expect((await campaignFunnels(reader, NOW, s)).map((f) => [f.name, f.status])).toEqual([['Periwinkle Launch', 'enrolling']]);
    expect((await segmentsPage(reader, s)).segments.map((g) => g.name)).toEqual(['Marmot Enthusiasts']);
    const segment = await segmentDetail(reader, segmentId, s);
    expect([segment?.segment.name, segment?.preview.count, segment?.preview.sample.map((m) => m.id)]).toEqual([
      'Marmot Enthusiasts',
      1,
      [contactId],
    ]);
  });

  it('gives the audit log to a reviewer, the people to an admin, and one’s own account to its holder', async () => {
    expect((await auditLogPage(actorFor('reviewer'), countingSource())).users.map((u) => u.email)).toEqual(['ada@clinic.test']);
    expect((await userList(actorFor('admin'), countingSource())).map((u) => u.email)).toEqual(['ada@clinic.test']);
    expect((await ownAccount(actorFor('admin', 'user-admin'), countingSource()))?.email).toBe('ada@clinic.test');
    expect(await ownTokens(actorFor('admin', 'user-admin'), countingSource())).toEqual([]);
  });
});
