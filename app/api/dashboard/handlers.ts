import type pg from 'pg';
import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { endpoints, jsonResponse } from '@/lib/http/endpoint';
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

/** The funnel of GET /api/dashboard/funnel. */
const funnelBody = z.object({
  from: z.string(),
  to: z.string(),
  flows: z.array(
    z.object({
      flowId: z.string(),
      flowName: z.string(),
      enrolled: z.number().int(),
      delivered: z.number().int(),
      replied: z.number().int(),
      optedOut: z.number().int(),
      verified: z.number().int(),
      paid: z.number().int(),
      collected: z.array(z.object({ currency: z.string(), amountMinor: z.number().int() })),
    }),
  ),
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
    funnel: endpoints(deps)(
      {
        access: 'read',
        query: funnelQuery,
        doc: {
          id: 'getFunnel',
          summary: 'The funnel per flow',
          description:
            'Per flow: enrolled → delivered → replied → opted out → verified → paid, and the amounts collected, for the runs started from `from` to `to` (whole UTC days).',
          responses: { 200: jsonResponse('The funnel.', funnelBody) },
        },
      },
      async ({ query: q }) => json(await funnelOf(await pool(), q.from, q.to)),
    ),
  };
}
