import { describe, expect, it } from 'vitest';
import type { Role } from '@/lib/access/roles';
import { signedInAs } from '@/lib/auth/testing/actors';
import { listAudit } from '@/lib/db/audit-repository';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { apiRequest } from '@/lib/http/testing/api-request';
import { SandboxClock } from '@/lib/runtime/sandbox-clock';
import { sandboxClockHandlers } from './sandbox-clock-handlers';

const db = useTestDatabase();
const URL_ = 'http://test/api/sandbox/clock';
// Real time in these tests: Monday 7 December 2026, 10:00 UTC, moving only when a test moves it.
const REAL = Date.parse('2026-12-07T10:00:00Z');
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; path?: string; message: string } }).error;

function setUp(role: Role | null = 'owner', on = true) {
  let real = REAL;
  const clock = new SandboxClock(() => new Date(real));
  const api = sandboxClockHandlers({
    authenticate: signedInAs(role),
    sandbox: async () => ({ pool: db().pool, clock: on ? clock : undefined }),
  });
  return { api, clock, advance: (ms: number) => (real += ms) };
}

const put = (body: unknown, headers?: Record<string, string>) => apiRequest(URL_, { method: 'PUT', body, ...(headers ? { headers } : {}) });
const del = () => apiRequest(URL_, { method: 'DELETE' });

describe('/api/sandbox/clock', () => {
  it('sets the clock to 20:30 Eastern on a Tuesday, runs on from there, and resets to real time, each change audited', async () => {
    const { api, advance } = setUp('owner');
    expect(await (await api.get(apiRequest(URL_))).json()).toEqual({
      clock: { now: '2026-12-07T10:00:00.000Z', offsetMs: 0, isSet: false },
    });

    const set = await api.set(put({ at: '2027-03-09T20:30', zone: 'America/New_York' }));
    expect(set.status).toBe(200);
    // EST (UTC-5) before the spring change on 14 March 2027.
    expect(await set.json()).toEqual({
      clock: { now: '2027-03-10T01:30:00.000Z', offsetMs: Date.parse('2027-03-10T01:30:00Z') - REAL, isSet: true },
    });
    advance(60_000);
    expect(((await (await api.get(apiRequest(URL_))).json()) as { clock: { now: string } }).clock.now).toBe('2027-03-10T01:31:00.000Z');

    // An instant with its offset needs no zone.
    expect(((await (await api.set(put({ at: '2027-03-10T13:00:00Z' }))).json()) as { clock: { now: string } }).clock.now).toBe(
      '2027-03-10T13:00:00.000Z',
    );

    const reset = await api.reset(del());
    expect(await reset.json()).toEqual({ clock: { now: new Date(REAL + 60_000).toISOString(), offsetMs: 0, isSet: false } });

    const audit = await listAudit(db().pool, { subjectType: 'sandbox_clock' });
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      [
        'sandbox.clock_reset',
        'user-owner',
        { from: '2027-03-10T13:00:00.000Z', offsetMs: Date.parse('2027-03-10T13:00:00Z') - REAL - 60_000 },
      ],
      ['sandbox.clock_set', 'user-owner', { from: '2027-03-10T01:31:00.000Z', to: '2027-03-10T13:00:00.000Z', wasSet: true }],
      ['sandbox.clock_set', 'user-owner', { from: '2026-12-07T10:00:00.000Z', to: '2027-03-10T01:30:00.000Z', wasSet: false }],
    ]);
  });

  it('answers bad input with a 400 naming the field, and leaves the clock alone', async () => {
    const { api, clock } = setUp('admin');
    const cases: [unknown, string][] = [
      [{}, 'at'],
      [{ at: 1_800_000_000 }, 'at'],
      [{ at: 'tomorrow evening', zone: 'America/New_York' }, 'at'],
      [{ at: '2027-02-30T20:30', zone: 'America/New_York' }, 'at'],
      [{ at: '2027-03-09T25:30', zone: 'America/New_York' }, 'at'],
      [{ at: '2027-02-29T01:30:00Z' }, 'at'],
      [{ at: '1970-01-01T00:00:00Z' }, 'at'],
      [{ at: '2027-03-09T20:30' }, 'zone'],
      [{ at: '2027-03-09T20:30', zone: 'Eastern' }, 'zone'],
      [{ at: '2027-03-10T01:30:00Z', zone: 'America/New_York' }, 'zone'],
    ];
    for (const [body, field] of cases) {
      const res = await api.set(put(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await errorOf(res)).path, JSON.stringify(body)).toBe(field);
    }
    // A field it does not take is named in the message (the whole body is its path).
    const extra = await api.set(put({ at: '2027-03-10T01:30:00Z', offsetMs: 5 }));
    expect(extra.status).toBe(400);
    expect((await errorOf(extra)).message).toMatch(/offsetMs/);
    expect(clock.read().isSet).toBe(false);
  });

  it('lets only the owner and admins set or reset it; anyone signed in may read it', async () => {
    for (const role of ['editor', 'developer', 'reviewer'] as const) {
      const { api, clock } = setUp(role);
      expect((await api.set(put({ at: '2027-03-10T01:30:00Z' }))).status).toBe(403);
      expect((await api.reset(del())).status).toBe(403);
      expect((await api.get(apiRequest(URL_))).status).toBe(200);
      expect(clock.read().isSet).toBe(false);
    }
    const { api } = setUp(null);
    expect((await api.get(apiRequest(URL_))).status).toBe(401);
  });

  it('refuses a set from another origin', async () => {
    const { api, clock } = setUp('owner');
    const res = await api.set(put({ at: '2027-03-10T01:30:00Z' }, { origin: 'https://evil.example' }));
    expect(res.status).toBe(403);
    expect(clock.read().isSet).toBe(false);
  });

  it('is a 404 saying how to turn it on when the sandbox clock is off', async () => {
    const { api } = setUp('owner', false);
    const audited = (await listAudit(db().pool, { subjectType: 'sandbox_clock' })).length;
    for (const res of [await api.get(apiRequest(URL_)), await api.set(put({ at: '2027-03-10T01:30:00Z' })), await api.reset(del())]) {
      expect(res.status).toBe(404);
      expect((await errorOf(res)).message).toMatch(/OPTLINE_SANDBOX_CLOCK=on/);
    }
    expect(await listAudit(db().pool, { subjectType: 'sandbox_clock' })).toHaveLength(audited);
  });
});
