import nanp from './data/nanp.json';
import usZips from './data/us-zips.json';
import { isKnownZone } from './local-time';
import type { ContactLocation } from './types';

interface NanpEntry {
  zones: string[];
  state?: string;
}
const NANP = nanp as Record<string, NanpEntry>;
const ZIPS = usZips as { zones: string[]; states: string[]; runs: [number, number, number, number][] };

/**
 * Every zone of the 50 states and Puerto Rico, one per distinct set of
 * rules: Eastern, Central, Mountain, Arizona (no DST), Pacific, Alaska,
 * Aleutian (Adak), Hawaii, Atlantic (Puerto Rico). Zones such as Boise,
 * Detroit or Indiana/* keep the same wall clock as one of these all year, so
 * they add nothing to a decision (COMPLIANCE.md, "Time zones": nothing known).
 */
export const ALL_US_ZONES = [
  'America/Adak',
  'America/Anchorage',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/New_York',
  'America/Phoenix',
  'America/Puerto_Rico',
  'Pacific/Honolulu',
] as const;

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';

/**
 * Area codes whose territory crosses a zone line (COMPLIANCE.md, "Time
 * zones"): these zones are added even where the phone data lists fewer; an
 * extra zone only makes a decision stricter.
 */
const CROSSING_AREA_CODES: Record<string, readonly string[]> = {
  '850': [ET, CT],
  '812': [ET, CT],
  '930': [ET, CT],
  '574': [ET, CT],
  '219': [ET, CT],
  '270': [CT, ET],
  '364': [CT, ET],
  '606': [CT, ET],
  '423': [ET, CT],
  '931': [ET, CT],
  '906': [ET, CT],
  '308': [CT, MT],
  '605': [CT, MT],
  '701': [CT, MT],
  '785': [CT, MT],
  '620': [CT, MT],
  '432': [CT, MT],
  '915': [CT, MT],
  '208': [MT, PT],
  '986': [MT, PT],
  '541': [MT, PT],
  '458': [MT, PT],
  '907': ['America/Anchorage', 'America/Adak'],
  // Arizona keeps standard time; the Navajo Nation observes DST.
  '928': ['America/Phoenix', 'America/Denver'],
};

/** Arizona's other area codes are America/Phoenix only; territories are geographic. */
const FIXED_AREA_CODES: Record<string, readonly string[]> = {
  '480': ['America/Phoenix'],
  '520': ['America/Phoenix'],
  '602': ['America/Phoenix'],
  '623': ['America/Phoenix'],
  '787': ['America/Puerto_Rico'],
  '939': ['America/Puerto_Rico'],
  '340': ['America/St_Thomas'],
  '671': ['Pacific/Guam'],
  '670': ['Pacific/Saipan'],
  '684': ['Pacific/Pago_Pago'],
};

/** The NANP area code of an E.164 number (`+1NXXNXXXXXX`), or null. */
export function areaCodeOf(phone: string | undefined): string | null {
  const m = /^\+1([2-9]\d{2})[2-9]\d{6}$/.exec(phone?.replace(/[\s().-]/g, '') ?? '');
  return m ? m[1]! : null;
}

/** The zone and state of a US ZIP code from the kept ZIP dataset, or null when the ZIP is unknown. */
export function zipInfo(zip: string | undefined): { zone: string; state: string } | null {
  const m = /^(\d{5})(-\d{4})?$/.exec(zip?.trim() ?? '');
  if (!m) return null;
  const n = Number(m[1]);
  let lo = 0;
  let hi = ZIPS.runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const run = ZIPS.runs[mid]!;
    if (n < run[0]) hi = mid - 1;
    else if (n > run[1]) lo = mid + 1;
    else return { zone: ZIPS.zones[run[2]]!, state: ZIPS.states[run[3]]! };
  }
  return null;
}

/** The zones and state the phone data gives an area code, with the crossing-line zones added. */
export function areaCodeInfo(areaCode: string): { zones: string[]; state?: string } | null {
  const entry = NANP[areaCode];
  const fixed = FIXED_AREA_CODES[areaCode];
  if (!entry && !fixed) return null;
  const zones = new Set(fixed ?? entry!.zones);
  for (const z of CROSSING_AREA_CODES[areaCode] ?? []) zones.add(z);
  return entry?.state ? { zones: [...zones].sort(), state: entry.state } : { zones: [...zones].sort() };
}

/**
 * The IANA zones the recipient may be in (COMPLIANCE.md, "Time zones"), from
 * the first source known: an explicit zone, the ZIP code, the phone number.
 * An explicit zone the IANA database does not know counts as not given.
 * Nothing known (or a toll-free or other non-geographic number): every US zone.
 */
export function resolveZones(contact: ContactLocation): string[] {
  if (contact.zone && isKnownZone(contact.zone)) return [contact.zone];
  const zip = zipInfo(contact.zip);
  if (zip) return [zip.zone];
  const areaCode = areaCodeOf(contact.phone);
  const info = areaCode ? areaCodeInfo(areaCode) : null;
  if (info) return info.zones;
  return [...ALL_US_ZONES];
}
