/**
 * How the console writes an instant: always with its zone ("Dec 7, 2026,
 * 14:05 CST"), and where a contact is concerned in the contact's zone with
 * the viewer's reading beside it ("08:00 CST (09:00 your time)"). Pure: the
 * instant and the zones are arguments, so a test names them and never
 * depends on the machine's zone or clock. English (en-US) month names and
 * abbreviations, 24-hour clock, like the rest of the console's wording.
 */
import { localTimeParts, shortZoneName } from './local-time';

interface Reading {
  /** "Dec 7, 2026" */
  date: string;
  /** "14:05" */
  clock: string;
  /** "CST", "EDT", "UTC", "UTC+1" */
  zone: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

function readingOf(at: Date, zone: string): Reading {
  const t = localTimeParts(at, zone);
  return {
    date: `${MONTHS[t.month - 1]} ${t.day}, ${t.year}`,
    clock: `${pad(t.hour)}:${pad(t.minute)}`,
    zone: abbreviationOf(shortZoneName(at, zone)),
  };
}

// Where a zone has no abbreviation in English, Intl answers "GMT+1" (and plain
// "GMT" for UTC itself); we say UTC, so no time reads as a bare GMT.
function abbreviationOf(name: string): string {
  const m = /^GMT(?:([+-]\d{1,2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) return name;
  if (!m[1]) return 'UTC';
  return `UTC${m[1]}${m[2] && m[2] !== '00' ? `:${m[2]}` : ''}`;
}

/** The zone's abbreviation at an instant: "CST" or "CDT" for America/Chicago, "UTC", "UTC+1" where English has no name. */
export function zoneAbbreviation(at: Date, zone: string): string {
  return readingOf(at, zone).zone;
}

/** Time of day with its zone: "14:05 CST". */
export function formatClock(at: Date, zone: string): string {
  const r = readingOf(at, zone);
  return `${r.clock} ${r.zone}`;
}

/** Date and time with its zone: "Dec 7, 2026, 14:05 CST". */
export function formatInstant(at: Date, zone: string): string {
  const r = readingOf(at, zone);
  return `${r.date}, ${r.clock} ${r.zone}`;
}

/**
 * An instant that concerns a contact: in the contact's zone, then in the
 * viewer's ("Dec 8, 2026, 08:00 CST (09:00 your time)"; the viewer's date is
 * added when it is another day). Two possible zones of the contact are both
 * given ("08:00 CST / 09:00 EST"); when the contact's zone is not known (no
 * zone, or more than two possible), only the viewer's time is given. With no
 * viewer zone (rendering on the server, which does not know it) the second
 * reading is in UTC. Nothing is added when the viewer's reading is the
 * contact's.
 */
export function formatForContact(at: Date, contactZones: readonly string[], viewerZone: string | null): string {
  const viewer = readingOf(at, viewerZone ?? 'UTC');
  const zones = [...new Set(contactZones)];
  if (zones.length === 0 || zones.length > 2) return `${viewer.date}, ${viewer.clock} ${viewer.zone}`;
  const contact = zones.map((z) => readingOf(at, z));
  const first = contact[0]!;
  const text = `${first.date}, ${contact.map((r, i) => `${i > 0 && r.date !== first.date ? `${r.date}, ` : ''}${r.clock} ${r.zone}`).join(' / ')}`;
  if (contact.length === 1 && viewer.date === first.date && viewer.clock === first.clock && viewer.zone === first.zone) return text;
  const day = viewer.date === first.date ? '' : `${viewer.date}, `;
  return `${text} (${day}${viewer.clock} ${viewerZone ? 'your time' : viewer.zone})`;
}
