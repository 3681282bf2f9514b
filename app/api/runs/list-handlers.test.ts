import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { buildRunScenario, type RunScenario } from '@/lib/runs/testing/run-scenario';
import type { TimelineItem } from '@/lib/runs/timeline';
import type { RunTimelineResponse } from '@/lib/runs';
import { runListHandlers } from './list-handlers';

const database = useTestDatabase();

const actor = (role: Actor['role']): Actor => ({ userId: `u-${role}`, email: `${role}@x.test`, name: role, role, via: 'session' });
const handlersAs = (who: Actor | null) =>
  runListHandlers({ authenticate: async () => who, pool: async () => database().pool, appSecret: () => TEST_APP_SECRET });

let s: RunScenario;
beforeAll(async () => {
  s = await buildRunScenario(database().pool);
}, 60_000);

async function list(query: string, who: Actor | null = actor('editor')) {
  const res = await handlersAs(who).list(new Request(`http://localhost/api/runs${query}`));
  return {
    status: res.status,
    body: (await res.json()) as {
      runs: { id: string; [k: string]: unknown }[];
      nextCursor: string | null;
      error?: { code: string; path?: string };
    },
  };
}

async function timeline(runId: string, who: Actor | null = actor('editor')) {
  const res = await handlersAs(who).timeline(new Request(`http://localhost/api/runs/${runId}/timeline`), {
    params: Promise.resolve({ id: runId }),
  });
  return {
    status: res.status,
    text: await res.clone().text(),
    body: (await res.json()) as RunTimelineResponse & { error?: { code: string; path?: string } },
  };
}

describe('GET /api/runs', () => {
  it('lists runs newest first with flow, version, masked phone, decrypted name, status, node and stop reason', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body.runs.map((r) => r.id)).toEqual([s.silent.runId, s.stopped.runId, s.paid.runId]);
    const paid = body.runs[2]!;
    expect(paid).toMatchObject({
      flow: { id: 'pay-by-text', name: 'pay-by-text', version: 1 },
      contact: { id: s.paid.contactId, name: 'Ana Diaz', phone: `+1 •••• ••${s.paid.phone.slice(-4, -2)} ${s.paid.phone.slice(-2)}` },
      status: 'done',
      node: 'paid',
      startedAt: '2026-03-10T15:00:00.000Z',
      stopReason: null,
    });
    expect(paid.endedAt).toEqual(expect.any(String));
    expect(body.runs[1]).toMatchObject({ status: 'stopped', stopReason: 'STOP', node: 'notice', contact: { name: 'Ben Stone' } });
    expect(body.runs[0]).toMatchObject({ status: 'active', node: 'notice', endedAt: null, contact: { name: null } });
    expect(JSON.stringify(body)).not.toContain(s.paid.phone);
  });

  it('filters by status, flow, contact and start date, and pages with a cursor', async () => {
    expect((await list('?status=stopped')).body.runs.map((r) => r.id)).toEqual([s.stopped.runId]);
    expect((await list('?status=done&status=active')).body.runs.map((r) => r.id)).toEqual([s.silent.runId, s.paid.runId]);
    expect((await list(`?contact=${s.paid.contactId}`)).body.runs.map((r) => r.id)).toEqual([s.paid.runId]);
    expect((await list('?flow=pay-by-text')).body.runs).toHaveLength(3);
    expect((await list('?flow=other-flow')).body.runs).toEqual([]);
    expect((await list('?from=2026-03-11&to=2026-03-11')).body.runs.map((r) => r.id)).toEqual([s.stopped.runId]);
    expect((await list('?from=2026-03-11')).body.runs.map((r) => r.id)).toEqual([s.silent.runId, s.stopped.runId]);
    expect((await list('?to=2026-03-10')).body.runs.map((r) => r.id)).toEqual([s.paid.runId]);

    const first = await list('?limit=2');
    expect(first.body.runs.map((r) => r.id)).toEqual([s.silent.runId, s.stopped.runId]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.runs.map((r) => r.id)).toEqual([s.paid.runId]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('answers bad filters with a 400 naming the parameter', async () => {
    expect(await list('?status=paused')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', path: 'status[0]' } } });
    expect(await list('?from=2026-02-30')).toMatchObject({ status: 400, body: { error: { path: 'from' } } });
    // Not dates at all: zod runs the 'real date' check after the pattern failed, and it threw (a 500) before.
    expect(await list('?from=x')).toMatchObject({ status: 400, body: { error: { path: 'from' } } });
    expect(await list('?to=9999-99-99')).toMatchObject({ status: 400, body: { error: { path: 'to' } } });
    expect(await list('?status=active%00')).toMatchObject({ status: 400, body: { error: { path: 'status' } } });
    expect(await list('?from=2026-03-12&to=2026-03-10')).toMatchObject({ status: 400, body: { error: { path: 'to' } } });
    expect(await list('?contact=ana')).toMatchObject({ status: 400, body: { error: { path: 'contact' } } });
    expect(await list('?cursor=nonsense')).toMatchObject({ status: 400, body: { error: { path: 'cursor' } } });
  });

  it('answers 401 to nobody and 403 to an API token without the read scope', async () => {
    expect((await list('', null)).status).toBe(401);
    const token: Actor = { ...actor('developer'), via: 'token', token: { id: 't1', scopes: ['runs.write'] } };
    expect(await list('', token)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await list('', actor('reviewer'))).status).toBe(200);
  });
});

describe('GET /api/runs/:id/timeline', () => {
  it('merges events, moves, texts, the identity check and the payment in time order, without the token or the ZIP', async () => {
    const { status, text, body } = await timeline(s.paid.runId);
    expect(status).toBe(200);
    expect(body.run).toMatchObject({
      id: s.paid.runId,
      status: 'done',
      flow: { id: 'pay-by-text', version: 1 },
      contact: { id: s.paid.contactId, name: 'Ana Diaz' },
    });
    const items = body.timeline;
    const only = <K extends TimelineItem['kind']>(kind: K) => items.filter((i): i is Extract<TimelineItem, { kind: K }> => i.kind === kind);
    const ats = items.map((i) => i.at);
    expect([...ats].sort()).toEqual(ats);

    const summary = items.map((i) =>
      i.kind === 'move'
        ? `move ${i.from}→${i.to}`
        : i.kind === 'event'
          ? `event ${i.event}`
          : i.kind === 'deferral'
            ? `deferral ${i.until}`
            : `${i.kind} ${i.status}`,
    );
    expect(summary).toEqual([
      'move null→start',
      'move start→notice',
      'message delivered',
      'event sms.sent',
      'event xstate.after.172800000.pay-by-text.notice.waiting',
      'move notice→verify',
      // The question, the wrong ZIP, "doesn't match, try again", the right ZIP: every text in or out during the run, in order.
      'message sent',
      'message received',
      'message sent',
      'message received',
      // The check is shown when it was decided, after the question it asked and the answers.
      'event identity.verified',
      'verification verified',
      'move verify→pay',
      // The link's text is claimed first, then the link is made and put in it.
      'message sent',
      'payment paid',
      'event payment.paid',
      'move pay→receipt',
      'message sent',
      'event sms.sent',
      'move receipt→paid',
    ]);
    const notice = only('message')[0]!;
    expect(notice.statuses.map((h) => h.status)).toEqual(['sending', 'sent', 'delivered']);
    expect(notice.guard).toEqual({ deferred: [], blocked: null });
    expect(only('verification')[0]).toMatchObject({ method: 'zip', status: 'verified', attemptsLeft: 2 });
    expect(
      only('message')
        .slice(1, 5)
        .map((m) => [m.direction, m.body]),
    ).toEqual([
      ['outbound', expect.stringContaining('ZIP')],
      // The answers are kept only masked.
      ['inbound', '[identity answer]'],
      ['outbound', "That doesn't match our records. Please try again (2 attempts left)."],
      ['inbound', '[identity answer]'],
    ]);
    expect(only('payment')[0]).toMatchObject({
      status: 'paid',
      amountMinor: 4250,
      currency: 'usd',
      description: 'Acme Dental invoice INV-7',
      cardChecks: { postalCode: 'pass', cvc: 'pass' },
    });
    const link = only('message')
      .map((i) => i.body)
      .find((b) => b.includes('/pay/'));
    expect(link).toContain('http://localhost:3000/pay/…');
    expect(text).not.toContain(s.paid.token);
    expect(text).not.toContain('60601');
    expect(text).not.toContain('60602');
    expect(text).not.toMatch(/token|answer_hash|[0-9a-f]{64}/);
  });

  it('draws the path taken: visited nodes and the edges followed (sent, not failed), no current node once done', async () => {
    const { body } = await timeline(s.paid.runId);
    expect(body.path).toEqual({
      nodeTones: { start: 'visited', notice: 'visited', verify: 'visited', pay: 'visited', receipt: 'visited', paid: 'visited' },
      edgeTones: {
        'e-start-notice': 'visited',
        'e-notice-granted': 'visited',
        'e-verify-verified': 'visited',
        'e-pay-paid': 'visited',
        'e-receipt-sent': 'visited',
      },
    });
    expect(body.flow?.nodes).toHaveLength(13);
  });

  it('marks where an active run waits as current, and lets only roles with runs.write cancel it', async () => {
    const editor = await timeline(s.silent.runId);
    expect(editor.body.path).toEqual({ nodeTones: { start: 'visited', notice: 'current' }, edgeTones: { 'e-start-notice': 'visited' } });
    expect(editor.body.canCancel).toBe(true);
    expect((await timeline(s.silent.runId, actor('reviewer'))).body.canCancel).toBe(false);
    // An ended run cannot be cancelled by anyone.
    expect((await timeline(s.stopped.runId, actor('owner'))).body).toMatchObject({
      canCancel: false,
      run: { status: 'stopped', stopReason: 'STOP' },
    });
  });

  it('keeps the STOP and its confirmation on the record of the run it stopped', async () => {
    const { body } = await timeline(s.stopped.runId);
    const texts = body.timeline.filter((i) => i.kind === 'message').map((m) => [m.direction, m.body]);
    expect(texts.slice(1)).toEqual([
      ['inbound', 'STOP'],
      ['outbound', expect.stringContaining('You are unsubscribed')],
    ]);
  });

  it('answers 401 to nobody, 404 for an unknown run and 400 for a malformed id', async () => {
    expect((await timeline(s.paid.runId, null)).status).toBe(401);
    expect((await timeline('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await timeline('run-1')).body).toMatchObject({ error: { code: 'validation_failed', path: 'id' } });
  });
});
