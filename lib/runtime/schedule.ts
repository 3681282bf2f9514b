import { localTimeParts, zonedInstant } from '@/lib/compliance/local-time';
import { DAYS, parseTimeOfDay } from '@/lib/flow/time-of-day';

/** A schedule trigger's time: `at` (HH:MM, the recipient's wall clock) on `days` (all when absent). */
export interface ScheduleTrigger {
  at: string;
  days?: readonly (typeof DAYS)[number][];
}

/**
 * When a scheduled run starts: `at` on the local date `on` (YYYY-MM-DD) in
 * the recipient's zone. When the zone is not certain, the latest of the
 * candidate zones' instants: the moment it is `at` or later everywhere the
 * recipient may be. Pure; DST-correct (the wall clock, from the IANA data).
 * Returns an error sentence when `on` is not one of the trigger's days.
 */
export function scheduledStart(trigger: ScheduleTrigger, on: string, zones: readonly string[]): Date | string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(on);
  if (!m) return `"${on}" is not a date like 2026-03-11`;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d, 12));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return `"${on}" is not a real date`;
  const weekday = DAYS[(probe.getUTCDay() + 6) % 7]!;
  if (trigger.days && !trigger.days.includes(weekday))
    return `the flow starts only on ${trigger.days.join(', ')}, and ${on} is a ${weekday}`;
  const minutes = parseTimeOfDay(trigger.at);
  if (minutes === null) return `"${trigger.at}" is not a time of day`;
  const instants = (zones.length ? zones : ['UTC']).map((zone) => zonedInstant(zone, y, mo, d, minutes).getTime());
  return new Date(Math.max(...instants));
}

/** The next local date (YYYY-MM-DD) on or after `now` in `zone` when the trigger's time is still ahead, on one of its days. */
export function nextScheduledDate(trigger: ScheduleTrigger, now: Date, zones: readonly string[]): string {
  const zone = zones[0] ?? 'UTC';
  const today = localTimeParts(now, zone);
  for (let i = 0; i < 8; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i, 12)).toISOString().slice(0, 10);
    const start = scheduledStart(trigger, date, zones);
    if (typeof start !== 'string' && start.getTime() > now.getTime()) return date;
  }
  throw new Error('a schedule trigger always has a day within a week');
}
