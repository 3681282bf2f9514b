import { FEDERAL_WINDOW } from './policy-window';
import { isStateHoliday } from './holidays';
import { localTimeParts, zonedInstant, type LocalTime } from './local-time';
import { STATE_RULES, stateRule, type StateRule, type Window } from './state-rules';
import type { Purpose } from './types';

/** What decides a send's window: its purpose and the recipient's states (empty: unknown, the strictest of every state). */
export interface WindowRules {
  purpose: Purpose;
  states: readonly string[];
}

function intersect(a: Window, b: Window): Window {
  if (!a || !b) return null;
  const from = Math.max(a[0], b[0]);
  const to = Math.min(a[1], b[1]);
  return from < to ? [from, to] : null;
}

function isCentralDaylightTime(at: Date): boolean {
  return localTimeParts(at, 'America/Chicago').offset === -300;
}

/** One state's marketing window on a local day: the holiday row overrides the day of the week. */
function stateWindowOn(rule: StateRule, local: LocalTime, at: Date): Window {
  const holiday = isStateHoliday(rule.state, local.year, local.month, local.day);
  let window = holiday ? rule.holiday : local.weekday === 0 ? rule.sunday : local.weekday === 6 ? rule.saturday : rule.weekday;
  // Miss. Code § 77-3-723 sets its hours in Central Standard Time: while daylight time is in force
  // 08:00 CST is 09:00 local; the end is kept on the wall clock, so the rule only gets stricter.
  if (window && rule.centralStandardTime && isCentralDaylightTime(at)) window = [window[0] + 60, window[1]];
  return window;
}

/**
 * The allowed local window for a send at `at` in `zone`: the federal window
 * (47 CFR § 64.1200(c)(1), applied to every purpose), narrowed for marketing
 * by each applicable state's rule for that local day.
 */
export function windowAt(at: Date, zone: string, rules: WindowRules): Window {
  const local = localTimeParts(at, zone);
  let window: Window = [FEDERAL_WINDOW.from, FEDERAL_WINDOW.to];
  if (rules.purpose === 'marketing') {
    const stateRules = rules.states.length > 0 ? rules.states.flatMap((s) => stateRule(s) ?? []) : STATE_RULES;
    for (const rule of stateRules) window = intersect(window, stateWindowOn(rule, local, at));
  }
  return window;
}

/** Whether the local time at `at` is inside the allowed window in every zone. */
export function isAllowedAt(at: Date, zones: readonly string[], rules: WindowRules): boolean {
  return zones.every((zone) => {
    const window = windowAt(at, zone, rules);
    const minutes = localTimeParts(at, zone).minutes;
    return window !== null && minutes >= window[0] && minutes < window[1];
  });
}

/** Every local time at which some window opens: the federal and state starts, and Mississippi's daylight-time start. */
const OPENINGS = [
  ...new Set([
    FEDERAL_WINDOW.from,
    ...STATE_RULES.flatMap((r) => [r.weekday, r.saturday, r.sunday, r.holiday].flatMap((w) => (w ? [w[0], w[0] + 60] : []))),
  ]),
].sort((a, b) => a - b);

/**
 * The earliest instant at or after `from` that is allowed in every zone, or
 * null if none comes within `horizonDays`. The allowed times are a union of
 * intervals, each opening when some zone's window opens, so only `from` and
 * those openings (on the wall clock, DST-correct) need trying.
 */
export function nextAllowedInstant(from: Date, zones: readonly string[], rules: WindowRules, horizonDays = 15): Date | null {
  if (isAllowedAt(from, zones, rules)) return from;
  const candidates = new Set<number>();
  for (const zone of zones) {
    const local = localTimeParts(from, zone);
    for (let k = 0; k <= horizonDays; k++) {
      for (const minutes of OPENINGS) {
        const t = zonedInstant(zone, local.year, local.month, local.day + k, minutes).getTime();
        if (t > from.getTime()) candidates.add(t);
      }
    }
  }
  for (const t of [...candidates].sort((a, b) => a - b)) {
    const instant = new Date(t);
    if (isAllowedAt(instant, zones, rules)) return instant;
  }
  return null;
}
