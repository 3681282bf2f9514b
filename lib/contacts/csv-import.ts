import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { isKnownZone } from '@/lib/compliance/local-time';
import { isUsState } from '@/lib/compliance/states';
import type { Purpose } from '@/lib/compliance/types';
import { parseCsv } from './csv-parse';

/**
 * Reading a contacts CSV into rows ready to import, or every problem in it.
 * Pure: the current time (for "not in the future") is a parameter.
 *
 * Columns (header names case-insensitive, any order; only `phone` required):
 * phone, name, first_name, zip, zone, state, dob, and the consent evidence
 * consent_purpose, consent_text, consent_at, consent_channel, consent_ref,
 * tags (labels for segments, separated by `;`), and `attr.<key>` for a custom
 * attribute (`attr.amount_due` sets `attributes.amount_due`).
 * An empty cell means "not given": an import never blanks a stored field.
 */

export const IMPORT_COLUMNS = [
  'phone',
  'name',
  'first_name',
  'zip',
  'zone',
  'state',
  'dob',
  'consent_purpose',
  'consent_text',
  'consent_at',
  'consent_channel',
  'consent_ref',
  'tags',
] as const;

/** The prefix of a custom attribute's column (`attr.amount_due`). */
export const ATTRIBUTE_COLUMN_PREFIX = 'attr.';
const ATTRIBUTE_KEY = /^[a-z][a-z0-9_]{0,63}$/;
const TAG = /^[a-z0-9][a-z0-9 _-]{0,39}$/;
const MAX_TAGS = 20;
const MAX_ATTRIBUTE = 500;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const CONSENT_CHANNELS = ['sms', 'web', 'voice', 'paper', 'email', 'api'] as const;
export type ImportChannel = (typeof CONSENT_CHANNELS)[number];

/** A problem in the file: the row as a spreadsheet numbers it (header = row 1), the column, a sentence. */
export interface RowError {
  row: number;
  /** Null when the problem is the row's shape, not one cell. */
  column: string | null;
  message: string;
}

/** The consent a row records: a grant for one purpose, with its evidence. */
export interface ImportConsent {
  purpose: Purpose;
  /** The exact text the person was shown (kept word for word). */
  textShown?: string;
  occurredAt: Date;
  channel: ImportChannel;
  /** The outside record it came from (a form id, a paper file number). */
  reference?: string;
}

/** One valid row: the fields it gives (absent = not given) and its consent, if any. */
export interface ImportRow {
  row: number;
  /** E.164. */
  phone: string;
  name?: string;
  firstName?: string;
  zip?: string;
  zone?: string;
  /** Upper-case two-letter code. */
  state?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  consent?: ImportConsent;
  /** Custom attributes from `attr.<key>` columns. */
  attributes?: Record<string, string>;
  /** Tags to add (lower case). */
  tags?: string[];
}

export type ImportValidation = { ok: true; rows: ImportRow[] } | { ok: false; errors: RowError[]; rowCount: number };

const MAX_NAME = 200;
const MAX_TEXT = 2000;
const MAX_REF = 500;
// Evidence dated a little ahead is clock skew, as the ledger's own check allows (consent_events_not_in_future).
const FUTURE_SKEW_MS = 5 * 60 * 1000;
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates a contacts CSV; `now` bounds consent times and birth dates. Every problem is listed, not only the first. */
export function validateContactsCsv(text: string, now: Date): ImportValidation {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { ok: false, errors: [{ row: parsed.error.row, column: null, message: parsed.error.message }], rowCount: 0 };
  const [header, ...records] = parsed.records;
  if (!header || (header.fields.length === 1 && header.fields[0]!.trim() === '')) {
    return {
      ok: false,
      errors: [{ row: 1, column: null, message: 'the file is empty: the first row must name the columns, e.g. phone,name,zone' }],
      rowCount: 0,
    };
  }

  const headerErrors: RowError[] = [];
  const columns: (ImportColumn | null)[] = [];
  const attributeColumns = new Map<number, string>();
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const raw of header.fields) {
    const name = raw.trim().toLowerCase();
    if (name.startsWith(ATTRIBUTE_COLUMN_PREFIX)) {
      const key = name.slice(ATTRIBUTE_COLUMN_PREFIX.length);
      if (!ATTRIBUTE_KEY.test(key))
        headerErrors.push({
          row: 1,
          column: raw.trim(),
          message: `"${raw.trim()}" is not an attribute column: write attr. and a key of lower-case letters, digits and _ (e.g. attr.amount_due)`,
        });
      else if (seen.has(name)) headerErrors.push({ row: 1, column: name, message: `the column "${name}" appears twice in the header` });
      seen.add(name);
      attributeColumns.set(columns.length, key);
      columns.push(null);
    } else if ((IMPORT_COLUMNS as readonly string[]).includes(name)) {
      if (seen.has(name)) headerErrors.push({ row: 1, column: name, message: `the column "${name}" appears twice in the header` });
      seen.add(name);
      columns.push(name as ImportColumn);
    } else {
      unknown.push(raw.trim());
      columns.push(null);
    }
  }
  for (const name of unknown) {
    headerErrors.push({
      row: 1,
      column: name,
      message:
        name === ''
          ? 'a column has no name in the header'
          : `"${name}" is not a column Optline imports; the columns are ${IMPORT_COLUMNS.join(', ')}, and attr.<key> for an attribute`,
    });
  }
  if (!seen.has('phone'))
    headerErrors.push({ row: 1, column: 'phone', message: 'the header has no "phone" column; every contact needs a phone number' });
  const dataRecords = records.filter((r) => !r.fields.every((f) => f.trim() === ''));
  if (headerErrors.length > 0) return { ok: false, errors: headerErrors, rowCount: dataRecords.length };
  if (dataRecords.length === 0)
    return { ok: false, errors: [{ row: 2, column: null, message: 'the file has a header but no contacts below it' }], rowCount: 0 };

  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  // Checking a zone builds an Intl formatter (a quarter of a millisecond): once per distinct zone, not per row.
  const zoneCache = new Map<string, boolean>();
  const knownZone = (zone: string) => {
    let known = zoneCache.get(zone);
    if (known === undefined) zoneCache.set(zone, (known = isKnownZone(zone)));
    return known;
  };
  const firstRowOfPhone = new Map<string, number>();
  for (const record of dataRecords) {
    if (record.fields.length !== columns.length) {
      errors.push({
        row: record.row,
        column: null,
        message: `the row has ${record.fields.length} values but the header names ${columns.length} columns`,
      });
      continue;
    }
    const cells = new Map<ImportColumn, string>();
    const attributes: Record<string, string> = {};
    record.fields.forEach((value, k) => {
      const key = attributeColumns.get(k);
      if (key !== undefined) {
        if (value.trim() === '') return;
        if (value.trim().length > MAX_ATTRIBUTE)
          errors.push({ row: record.row, column: `attr.${key}`, message: `the value is longer than ${MAX_ATTRIBUTE} characters` });
        else attributes[key] = value.trim();
        return;
      }
      const column = columns[k]!;
      // The text shown is kept word for word; every other cell is trimmed.
      const kept = column === 'consent_text' ? value : value.trim();
      if (kept.trim() !== '') cells.set(column, kept);
    });
    const row = validateRow(record.row, cells, now, errors, knownZone);
    if (!row) continue;
    if (Object.keys(attributes).length > 0) row.attributes = attributes;
    const first = firstRowOfPhone.get(row.phone);
    if (first !== undefined) {
      errors.push({
        row: record.row,
        column: 'phone',
        message: `${row.phone} is also on row ${first}; each number may appear once in a file`,
      });
      continue;
    }
    firstRowOfPhone.set(row.phone, record.row);
    rows.push(row);
  }
  return errors.length > 0 ? { ok: false, errors, rowCount: dataRecords.length } : { ok: true, rows };
}

function validateRow(
  rowNumber: number,
  cells: Map<ImportColumn, string>,
  now: Date,
  errors: RowError[],
  knownZone: (zone: string) => boolean,
): ImportRow | undefined {
  const before = errors.length;
  const fail = (column: ImportColumn, message: string) => errors.push({ row: rowNumber, column, message });
  const row: Partial<ImportRow> & { row: number } = { row: rowNumber };

  const phoneText = cells.get('phone');
  if (phoneText === undefined) fail('phone', 'the phone number is empty; every contact needs one');
  else {
    const phone = parsePhoneNumberFromString(phoneText, 'US');
    if (!phone?.isValid()) fail('phone', `"${phoneText}" is not a valid phone number (a US number like (212) 555-0142, or +country code)`);
    else row.phone = phone.number;
  }

  const name = cells.get('name');
  if (name !== undefined) {
    if (name.length > MAX_NAME) fail('name', `the name is longer than ${MAX_NAME} characters`);
    else row.name = name;
  }
  const firstName = cells.get('first_name');
  if (firstName !== undefined) {
    if (firstName.length > MAX_NAME) fail('first_name', `the first name is longer than ${MAX_NAME} characters`);
    else row.firstName = firstName;
  }
  const zip = cells.get('zip');
  if (zip !== undefined) {
    if (!/^\d{5}(-\d{4})?$/.test(zip)) fail('zip', `"${zip}" is not a US ZIP code like 60601 or 60601-1234`);
    else row.zip = zip;
  }
  const zone = cells.get('zone');
  if (zone !== undefined) {
    // The contacts table accepts only Area/City names, so "UTC" or "EST" are refused here too.
    if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) || !knownZone(zone))
      fail('zone', `"${zone}" is not an IANA time zone like America/Chicago`);
    else row.zone = zone;
  }
  const state = cells.get('state');
  if (state !== undefined) {
    if (!/^[A-Za-z]{2}$/.test(state) || !isUsState(state)) fail('state', `"${state}" is not a two-letter US state code like IL`);
    else row.state = state.toUpperCase();
  }
  const dob = cells.get('dob');
  if (dob !== undefined) {
    if (!isRealDate(dob)) fail('dob', `"${dob}" is not a date of birth like 1980-04-12 (YYYY-MM-DD)`);
    else if (new Date(`${dob}T00:00:00Z`).getTime() > now.getTime()) fail('dob', `the date of birth ${dob} is in the future`);
    else row.dateOfBirth = dob;
  }

  const tags = cells.get('tags');
  if (tags !== undefined) {
    const list = [
      ...new Set(
        tags
          .split(';')
          .map((t) => t.trim().toLowerCase())
          .filter((t) => t !== ''),
      ),
    ];
    const bad = list.find((t) => !TAG.test(t));
    if (bad !== undefined)
      fail(
        'tags',
        `"${bad}" is not a tag: up to 40 letters, digits, spaces, _ or -, starting with a letter or digit (separate tags with ;)`,
      );
    else if (list.length > MAX_TAGS) fail('tags', `at most ${MAX_TAGS} tags a row`);
    else if (list.length > 0) row.tags = list;
  }

  const consent = validateConsent(cells, now, fail);
  if (consent) row.consent = consent;
  return errors.length === before ? (row as ImportRow) : undefined;
}

function validateConsent(
  cells: Map<ImportColumn, string>,
  now: Date,
  fail: (column: ImportColumn, message: string) => void,
): ImportConsent | undefined {
  const purpose = cells.get('consent_purpose');
  const text = cells.get('consent_text');
  const at = cells.get('consent_at');
  const channel = cells.get('consent_channel');
  const reference = cells.get('consent_ref');
  if (purpose === undefined) {
    const given = (['consent_text', 'consent_at', 'consent_channel', 'consent_ref'] as const).filter((c) => cells.has(c));
    if (given.length > 0)
      fail(
        'consent_purpose',
        `the row gives consent evidence (${given.join(', ')}) but no consent_purpose: say informational or marketing`,
      );
    return undefined;
  }
  const before = { failed: false };
  const failHere = (column: ImportColumn, message: string) => {
    before.failed = true;
    fail(column, message);
  };
  const p = purpose.toLowerCase();
  if (p !== 'informational' && p !== 'marketing')
    failHere('consent_purpose', `"${purpose}" is not a purpose: write informational or marketing`);
  // Prior express written consent: the disclosure agreed to is kept word for word (47 CFR 64.1200(f)(9)).
  if (p === 'marketing' && text === undefined) failHere('consent_text', 'a marketing consent needs the exact text the person agreed to');
  if (text !== undefined && text.length > MAX_TEXT) failHere('consent_text', `the consent text is longer than ${MAX_TEXT} characters`);
  let occurredAt: Date | undefined;
  if (at === undefined) failHere('consent_at', 'give when the person consented, e.g. 2026-03-10T15:00:00-05:00');
  else {
    occurredAt = parseIsoWithOffset(at);
    if (!occurredAt) failHere('consent_at', `"${at}" is not a time with its offset like 2026-03-10T15:00:00-05:00 or 2026-03-10T20:00:00Z`);
    else if (occurredAt.getTime() > now.getTime() + FUTURE_SKEW_MS) failHere('consent_at', `${at} is in the future`);
  }
  const c = channel?.toLowerCase();
  if (c === undefined) failHere('consent_channel', `give how consent was collected: ${CONSENT_CHANNELS.join(', ')}`);
  else if (!(CONSENT_CHANNELS as readonly string[]).includes(c))
    failHere('consent_channel', `"${channel}" is not a channel: write ${CONSENT_CHANNELS.join(', ')}`);
  if (reference !== undefined && reference.length > MAX_REF)
    failHere('consent_ref', `the consent reference is longer than ${MAX_REF} characters`);
  if (before.failed) return undefined;
  return {
    purpose: p as Purpose,
    ...(text !== undefined ? { textShown: text } : {}),
    occurredAt: occurredAt!,
    channel: c as ImportChannel,
    ...(reference !== undefined ? { reference } : {}),
  };
}

function isRealDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return (
    !Number.isNaN(d.getTime()) &&
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() + 1 === Number(m[2]) &&
    d.getUTCDate() === Number(m[3])
  );
}

/** An ISO 8601 instant that states its offset (Z or ±hh:mm), or undefined. */
export function parseIsoWithOffset(text: string): Date | undefined {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m || !isRealDate(`${m[1]}-${m[2]}-${m[3]}`)) return undefined;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
