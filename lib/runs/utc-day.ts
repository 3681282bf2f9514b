import { calendarDate } from '@/lib/fields';

/** A calendar date in UTC (`2026-03-10`), as the date inputs send it. */
export const utcDate = calendarDate('2026-03-10');

/** The start of a UTC date. */
export const startOfDay = (d: string) => new Date(`${d}T00:00:00Z`);

/** The start of the day after a UTC date (a `to` date is included whole). */
export const dayAfter = (d: string) => new Date(startOfDay(d).getTime() + 24 * 3_600_000);
