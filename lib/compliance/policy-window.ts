import type { Purpose } from './types';

/** A flow's quiet-hours policy (FLOW_FORMAT.md, `policy.quietHours`). */
export type QuietHoursPolicy = 'federal' | 'strictest';

/** Minutes after local midnight, [from, to): a send at `to` is already outside. */
export interface DailyWindow {
  from: number;
  to: number;
}

/** 47 CFR § 64.1200(c)(1): no solicitation before 8:00 or after 21:00 at the called party's location. */
export const FEDERAL_WINDOW: DailyWindow = { from: 8 * 60, to: 21 * 60 };

/**
 * The local times of day at which a send of this purpose is allowed on every
 * day of the year under the policy, or `null` when no time of day is allowed
 * on every day. The analyzer uses it to prove a send-now node safe.
 *
 * Informational texts follow the federal window under either policy. Under
 * `strictest`, marketing follows the narrowest state rule for an unknown
 * state; several states ban Sundays and holidays entirely (AL, LA, MS, RI,
 * SD, UT: COMPLIANCE.md, "State rules"), so no time of day is safe every day.
 */
export function policyWindow(policy: QuietHoursPolicy, purpose: Purpose): DailyWindow | null {
  if (purpose === 'informational' || policy === 'federal') return FEDERAL_WINDOW;
  return null;
}
