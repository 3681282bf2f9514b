import Holidays from 'date-holidays';

/**
 * State legal holidays from a kept library (`date-holidays`), for the year
 * of the send, including the substitute days a state observes when a
 * holiday falls on a weekend. Only `public` holidays count.
 */
const cache = new Map<string, Set<string>>();

/** Whether `YYYY-MM-DD` is a legal holiday in the state. */
export function isStateHoliday(state: string, year: number, month: number, day: number): boolean {
  const key = `${state}:${year}`;
  let days = cache.get(key);
  if (!days) {
    const hd = new Holidays('US', state);
    days = new Set((hd.getHolidays(year) || []).filter((x) => x.type === 'public').map((x) => x.date.slice(0, 10)));
    cache.set(key, days);
  }
  return days.has(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}
