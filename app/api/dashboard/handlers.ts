import type pg from 'pg';
import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { endpoints } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { dayAfter, funnelOf, startOfDay, utcDate } from '@/lib/runs';

// A year and a bit: a longer range is a report, not a dashboard (and scans more runs than a page should wait for).
const MAX_DAYS = 400;

const funnelQuery = z
  .strictObject({ from: utcDate, to: utcDate })
  .refine((q) => q.from <= q.to, { error: 'must not be before from', path: ['to'] })
  .refine((q) => dayAfter(q.to).getTime() - startOfDay(q.from).getTime() <= MAX_DAYS * 24 * 3_600_000, {
    error: `the range is longer than ${MAX_DAYS} days`,
    path: ['to'],
  });

export interface DashboardDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
}

/** GET /api/dashboard/funnel. */
export function dashboardHandlers(deps: DashboardDeps) {
  const pool = deps.pool ?? (async () => (await database()).pool);
  return {
    /** Per flow: enrolled → delivered → replied → opted out → verified → paid, and the amounts collected, for runs started from `from` to `to` (whole UTC days). */
    funnel: endpoints(deps)({ access: 'read', query: funnelQuery }, async ({ query: q }) =>
      json(await funnelOf(await pool(), q.from, q.to)),
    ),
  };
}
