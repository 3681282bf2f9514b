import type pg from 'pg';
import { dashboardQueries, type FlowFunnel } from '@/lib/db/run-queries';
import { dayAfter, startOfDay } from './utc-day';

export type { FlowFunnel };

/** The body of GET /api/dashboard/funnel. */
export interface FunnelResponse {
  from: string;
  to: string;
  flows: FlowFunnel[];
}

/** Per flow: enrolled → delivered → replied → opted out → verified → paid, and the amounts collected, for runs started from `from` to `to` (whole UTC days). */
export async function funnelOf(pool: pg.Pool, from: string, to: string): Promise<FunnelResponse> {
  return { from, to, flows: await dashboardQueries(pool).funnel({ from: startOfDay(from), to: dayAfter(to) }) };
}
