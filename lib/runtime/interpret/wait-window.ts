import { TZDate } from '@date-fns/tz';
import { localTimeParts } from '@/lib/compliance/local-time';
import { DAYS, parseTimeOfDay, type Day } from '@/lib/flow/time-of-day';

/** A `wait.window` node's window: local `HH:MM` times (`from` > `to` wraps past midnight) and optional days. */
export interface WindowSpec {
  from: string;
  to: string;
  days?: readonly string[];
}

/** The local reading the window arithmetic needs (`localTimeParts`, one cached formatter per zone). */
function localParts(at: Date, zone: string): { minutes: number; day: Day; y: number; m: number; d: number } {
  const local = localTimeParts(at, zone);
  return { minutes: local.minutes, day: DAYS[(local.weekday + 6) % 7]!, y: local.year, m: local.month, d: local.day };
}

/** Whether the local time in `zone` at `at` is inside the window. */
export function isInsideWindow(at: Date, zone: string, window: WindowSpec): boolean {
  const from = parseTimeOfDay(window.from)!;
  const to = parseTimeOfDay(window.to)!;
  const { minutes, day } = localParts(at, zone);
  const wraps = from > to;
  const inside = wraps ? minutes >= from || minutes < to : minutes >= from && minutes < to;
  if (!inside) return false;
  if (!window.days) return true;
  // After midnight in a wrapping window, the window opened on the previous day.
  const openedOn = wraps && minutes < to ? DAYS[(DAYS.indexOf(day) + 6) % 7]! : day;
  return window.days.includes(openedOn);
}

/**
 * The earliest instant at or after `at` when the local time is inside the
 * window in every zone (the contact may be in any of them), or null if there
 * is none within `horizonDays`. The answer is `at` itself or the opening of
 * the window in one of the zones, so only those instants are tried.
 */
export function nextWindowOpening(at: Date, zones: readonly string[], window: WindowSpec, horizonDays = 8): Date | null {
  const insideAll = (t: Date) => zones.every((z) => isInsideWindow(t, z, window));
  if (insideAll(at)) return at;
  const from = parseTimeOfDay(window.from)!;
  const candidates: number[] = [];
  for (const zone of zones) {
    const local = localParts(at, zone);
    for (let offset = -1; offset <= horizonDays; offset++) {
      const opening = new TZDate(local.y, local.m - 1, local.d + offset, Math.floor(from / 60), from % 60, zone);
      if (opening.getTime() > at.getTime()) candidates.push(opening.getTime());
    }
  }
  candidates.sort((a, b) => a - b);
  for (const t of candidates) {
    const instant = new Date(t);
    if (insideAll(instant)) return instant;
  }
  return null;
}
