import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { consentRepository } from '@/lib/db/consent-repository';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { activeVersion, engineHarness, grant, quietLogger } from '@/lib/runtime/testing/engine-harness';
import type { TimelineItem } from '@/lib/runs/timeline';
import type { RunTimelineResponse } from '@/lib/runs';
import { runListHandlers } from './list-handlers';

const database = useTestDatabase();
const editor: Actor = { userId: 'u-ed', email: 'e@x.test', name: 'Ed', role: 'editor', via: 'session' };

/** A consent check, one informational text, then the end. */
const NOTICE = {
  schemaVersion: 1,
  id: 'office-notice',
  name: 'Office notice',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'note',
      type: 'message.send',
      data: { purpose: 'informational', body: 'Acme Dental: the office is closed on Friday. Reply STOP to opt out.' },
    },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e4', source: 'check', sourceHandle: 'granted', target: 'note' },
    { id: 'e5', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e2', source: 'note', sourceHandle: 'sent', target: 'done' },
    { id: 'e3', source: 'note', sourceHandle: 'failed', target: 'done' },
  ],
};

let versionId: string;
beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
  versionId = await activeVersion(database().pool, NOTICE, 'office-notice');
});

async function inspection(runId: string): Promise<RunTimelineResponse> {
  const handlers = runListHandlers({
    authenticate: async () => editor,
    pool: async () => database().pool,
    appSecret: () => TEST_APP_SECRET,
  });
  const res = await handlers.timeline(new Request(`http://localhost/api/runs/${runId}/timeline`), {
    params: Promise.resolve({ id: runId }),
  });
  return (await res.json()) as RunTimelineResponse;
}
const timeline = async (runId: string): Promise<TimelineItem[]> => (await inspection(runId)).timeline;

describe("the guard's decisions on a run's timeline", () => {
  it('shows a text held for quiet hours with until when and why, then on the text once sent', async () => {
    const t = engineHarness(database().pool);
    t.at('2026-03-10T08:00:00Z'); // 03:00 in Chicago
    const contact = await makeContact(t.pool, { zone: 'America/Chicago' });
    await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();

    const held = await timeline(runId);
    const deferral = held.find((i) => i.kind === 'deferral');
    expect(deferral).toMatchObject({
      until: '2026-03-10T13:00:00.000Z',
      reason: expect.stringMatching(/^Held until 08:00 \(America\/Chicago\)/),
    });
    expect(held.some((i) => i.kind === 'message')).toBe(false);
    // The inspector shows "until" in the zone the window was reckoned in (and the reader's).
    expect((await inspection(runId)).contactZones).toEqual(['America/Chicago']);

    await t.pass(5 * 3_600_000);
    await t.work();
    const sent = await timeline(runId);
    expect(sent.some((i) => i.kind === 'deferral')).toBe(false);
    const message = sent.find((i): i is Extract<TimelineItem, { kind: 'message' }> => i.kind === 'message');
    expect(message).toMatchObject({ status: 'sent', guard: { deferred: [{ until: '2026-03-10T13:00:00.000Z' }], blocked: null } });
  });

  it('shows a blocked text with the reason: consent withdrawn while the text waited for the morning', async () => {
    const t = engineHarness(database().pool);
    t.at('2026-03-10T08:00:00Z'); // 03:00 in Chicago: the check passes, the text waits
    const contact = await makeContact(t.pool, { zone: 'America/Chicago' });
    await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();
    // Withdrawn on a paper form before the morning (not a STOP by text, which would also end the run).
    await consentRepository(t.pool).appendConsentEvent({
      contactId: contact.id,
      action: 'revoke',
      source: 'import',
      channel: 'paper',
      recordedBy: 'test',
      occurredAt: new Date('2026-03-10T09:00:00Z'),
    });
    await t.pass(5 * 3_600_000);
    await t.work();
    const message = (await timeline(runId)).find((i): i is Extract<TimelineItem, { kind: 'message' }> => i.kind === 'message');
    const reason = 'Blocked: the contact withdrew consent (a STOP or another opt-out on record); nothing is sent until they opt in again.';
    expect(message).toMatchObject({
      status: 'blocked',
      guard: { deferred: [{ until: '2026-03-10T13:00:00.000Z' }], blocked: reason },
      statuses: [{ status: 'blocked', error: reason }],
    });
  });
});
