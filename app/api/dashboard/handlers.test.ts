import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { buildRunScenario } from '@/lib/runs/testing/run-scenario';
import type { FunnelResponse } from '@/lib/runs';
import { dashboardHandlers } from './handlers';

const database = useTestDatabase();
const reviewer: Actor = { userId: 'u-rev', email: 'r@x.test', name: 'Rev', role: 'reviewer', via: 'session' };

async function funnel(query: string, who: Actor | null = reviewer) {
  const res = await dashboardHandlers({ authenticate: async () => who, pool: async () => database().pool }).funnel(
    new Request(`http://localhost/api/dashboard/funnel${query}`),
  );
  return { status: res.status, body: (await res.json()) as FunnelResponse & { error?: { code: string; path?: string } } };
}

beforeAll(async () => {
  await buildRunScenario(database().pool);
}, 60_000);

describe('GET /api/dashboard/funnel', () => {
  it('counts each stage per flow for three contacts: one pays, one STOPs, one never replies', async () => {
    const { status, body } = await funnel('?from=2026-03-01&to=2026-03-31');
    expect(status).toBe(200);
    expect(body).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      flows: [
        {
          flowId: 'pay-by-text',
          flowName: 'pay-by-text',
          enrolled: 3,
          delivered: 2,
          replied: 2,
          optedOut: 1,
          verified: 1,
          paid: 1,
          collected: [{ currency: 'usd', amountMinor: 4250 }],
        },
      ],
    });
  });

  it('counts only runs started in the range (whole UTC days)', async () => {
    expect((await funnel('?from=2026-03-10&to=2026-03-10')).body.flows).toEqual([
      expect.objectContaining({
        enrolled: 1,
        delivered: 1,
        replied: 1,
        optedOut: 0,
        verified: 1,
        paid: 1,
        collected: [{ currency: 'usd', amountMinor: 4250 }],
      }),
    ]);
    expect((await funnel('?from=2026-03-11&to=2026-03-12')).body.flows).toEqual([
      expect.objectContaining({ enrolled: 2, delivered: 1, replied: 1, optedOut: 1, verified: 0, paid: 0, collected: [] }),
    ]);
    expect((await funnel('?from=2026-04-01&to=2026-04-30')).body.flows).toEqual([]);
  });

  it('asks for a valid range', async () => {
    expect(await funnel('?from=2026-03-01')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed', path: 'to' } } });
    expect(await funnel('?from=x&to=2026-03-01')).toMatchObject({ status: 400, body: { error: { path: 'from' } } });
    expect(await funnel('?from=2026-03-10&to=2026-03-01')).toMatchObject({ status: 400, body: { error: { path: 'to' } } });
    expect(await funnel('?from=2020-01-01&to=2026-03-01')).toMatchObject({ status: 400, body: { error: { path: 'to' } } });
  });

  it('answers 401 to nobody and 403 to a token without the read scope', async () => {
    expect((await funnel('?from=2026-03-01&to=2026-03-31', null)).status).toBe(401);
    const token: Actor = {
      userId: 'u-dev',
      email: 'd@x.test',
      name: 'Dev',
      role: 'developer',
      via: 'token',
      token: { id: 't1', scopes: ['contacts.write'] },
    };
    expect((await funnel('?from=2026-03-01&to=2026-03-31', token)).status).toBe(403);
  });
});
