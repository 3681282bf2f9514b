import { TZDate } from '@date-fns/tz';

/** A wall-clock reading in one IANA zone. `weekday` is 0 = Sunday … 6 = Saturday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  /** Minutes after local midnight. */
  minutes: number;
  /** Offset from UTC in minutes (e.g. -240 for EDT). */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const abbreviations = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Made once per zone and kept: making an Intl.DateTimeFormat costs about 0.3 ms.
function cached(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: zone });
    cache.set(zone, f);
  }
  return f;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  return cached(formatters, zone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
    timeZoneName: 'longOffset',
  });
}

/** The zone's name at an instant as English writes it short: "CST", "EDT", "UTC", or "GMT+1" where English has no abbreviation. */
export function shortZoneName(at: Date, zone: string): string {
  const parts = cached(abbreviations, zone, { timeZoneName: 'short' }).formatToParts(at);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

// Readings by zone and UTC minute: a campaign's preview asks the same few (zone, minute) pairs of every contact, and
// formatToParts costs about 40 µs. Bounded: emptied when full.
const readings = new Map<string, LocalTime>();
const MAX_READINGS = 20_000;

/**
 * The local date, weekday and time at an instant in a zone, from the IANA
 * database (no fixed offsets). Every instant of a UTC minute reads the same
 * (zone offsets are whole minutes and change on a minute since 1970), so
 * the reading is kept by zone and minute.
 */
export function localTimeParts(at: Date, zone: string): LocalTime {
  const minute = Math.floor(at.getTime() / 60_000);
  const key = `${zone}|${minute}`;
  const known = readings.get(key);
  if (known) return { ...known };
  const reading = readLocalTime(new Date(minute * 60_000), zone);
  if (minute >= 0) {
    if (readings.size >= MAX_READINGS) readings.clear();
    readings.set(key, reading);
  }
  return { ...reading };
}

function readLocalTime(at: Date, zone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(at)) parts[p.type] = p.value;
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(parts.timeZoneName ?? '');
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour,
    minute,
    minutes: hour * 60 + minute,
    offset,
  };
}

/**
 * The instant of a wall-clock time in a zone. A time that does not exist
 * (the spring-forward gap) resolves to the first instant after the gap; one
 * that happens twice (fall-back) resolves to the first occurrence.
 */
export function zonedInstant(zone: string, year: number, month: number, day: number, minutes: number): Date {
  return new Date(new TZDate(year, month - 1, day, Math.floor(minutes / 60), minutes % 60, zone).getTime());
}

/**
 * Whether a string names a zone the IANA database knows. A known zone's
 * formatter is made once and kept (the guard asks before every send, and
 * making an Intl.DateTimeFormat costs about 0.3 ms); unknown names are not kept.
 */
export function isKnownZone(zone: string): boolean {
  if (formatters.has(zone)) return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** "08:00 (America/Chicago)" style local time, and the ISO local form with offset. */
export function formatLocal(at: Date, zone: string): { time: string; iso: string } {
  const t = localTimeParts(at, zone);
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const sign = t.offset < 0 ? '-' : '+';
  return {
    time: `${pad(t.hour)}:${pad(t.minute)}`,
    iso: `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(at.getUTCSeconds())}${sign}${pad(Math.floor(Math.abs(t.offset) / 60))}:${pad(Math.abs(t.offset) % 60)}`,
  };
}
