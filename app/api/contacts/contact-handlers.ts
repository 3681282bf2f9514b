import { z } from 'zod';
import type pg from 'pg';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { actorRef, type Authenticate } from '@/lib/access/roles';
import type { RowError } from '@/lib/contacts/csv-import';
import { searchContacts } from '@/lib/contacts/contact-search';
import { contactFieldsView, decodeCursor, loadContactDetail, searchResultView } from '@/lib/contacts/contact-view';
import { prepareCsvImport, type CsvImport } from '@/lib/contacts/import-contacts';
import { consentRepository } from '@/lib/db/consent-repository';
import { ContactExistsError, contactKeys, contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import { isPgError } from '@/lib/db/queryable';
import { env } from '@/lib/env';
import { AppError } from '@/lib/app-error';
import { BODY_LIMITS, endpoints, errorAnswer, fileResponse, idParams, jsonResponse, textBody } from '@/lib/http/endpoint';
import { contactByPhone, contactDetail, contactListQuery, contactSearch, importRowErrors } from './contact-responses';
import { json } from '@/lib/http/route';
import { ndjsonResponse } from '@/lib/http/stream';
import { UUID } from '@/lib/fields';

export interface ContactHandlerDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
  keys?: () => ContactKeys;
  /** The clock the import checks "not in the future" against. */
  clock?: () => Date;
  log?: (message: string, err: unknown) => void;
}

/** Row errors a 422 lists; the rest are counted. */
export const MAX_LISTED_ERRORS = 500;

const CSV_TYPES = ['text/csv', 'text/plain', 'application/csv'];

/** GET /api/contacts (list, search), GET /api/contacts/:id, POST /api/contacts/import. */
export function contactHandlers(deps: ContactHandlerDeps) {
  const getPool = deps.pool ?? (async () => (await database()).pool);
  const getKeys = deps.keys ?? (() => contactKeys(env().appSecret));
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((message, err) => console.error(message, err));
  const endpoint = endpoints(deps);
  const repos = async () => {
    const pool = await getPool();
    return { pool, contacts: contactRepository(pool, getKeys()), consent: consentRepository(pool) };
  };

  return {
    /**
     * GET `?q=&cursor=`: a page of contacts, newest first, with consent per
     * purpose (see lib/contacts/contact-search.ts for how `q` is read).
     * `?phone=` (the older look-up) answers `{ contact, consent }` or 404.
     */
    list: endpoint(
      {
        access: 'read',
        doc: {
          id: 'listContacts',
          summary: 'Search the contacts',
          description:
            'With `q` (or nothing) and `cursor`: a page of contacts, newest first, with consent per purpose. With `phone`: the contact with that number and their consent, or a 404.',
          query: contactListQuery,
          responses: {
            200: jsonResponse(
              'A page of contacts, or (with `phone`) one contact and their consent.',
              z.union([contactSearch, contactByPhone]),
            ),
            404: errorAnswer('No contact has that `phone`.'),
          },
        },
      },
      async ({ request }) => {
        const params = new URL(request.url).searchParams;
        const r = await repos();
        const phoneText = params.get('phone');
        if (phoneText !== null) {
          const phone = parsePhoneNumberFromString(phoneText, 'US');
          if (!phone?.isValid())
            throw new AppError('validation_failed', `phone: "${phoneText}" is not a valid phone number`, { path: 'phone' });
          const found = await r.contacts.findContactByPhone(phone.number);
          if (!found) throw new AppError('not_found', `there is no contact with phone ${phone.number}`, { path: 'phone' });
          return json({ contact: contactFieldsView(found), consent: await r.consent.currentConsent(found.id) });
        }
        const q = params.get('q') ?? '';
        if (q.length > 200) throw new AppError('validation_failed', 'q: the search is longer than 200 characters', { path: 'q' });
        const token = params.get('cursor');
        const after = token ? decodeCursor(token) : undefined;
        if (token && !after)
          throw new AppError('validation_failed', 'cursor: is not a cursor this list gave out; start again without it', { path: 'cursor' });
        const result = await searchContacts(r, { q, ...(after ? { after } : {}) });
        return json(searchResultView(result));
      },
    ),

    /** GET: the contact (ZIP and date of birth masked), their consent timeline and their runs. */
    get: endpoint(
      {
        access: 'read',
        params: idParams,
        doc: {
          id: 'getContact',
          summary: 'Get a contact',
          description: 'The contact (ZIP and date of birth masked), their consent timeline and their runs.',
          responses: { 200: jsonResponse('The contact.', contactDetail), 404: errorAnswer('There is no such contact.') },
        },
      },
      async ({ params: { id } }) => {
        if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a contact id (a UUID)`, { path: 'id' });
        const detail = await loadContactDetail(await repos(), id);
        if (!detail) throw new AppError('not_found', `there is no contact ${id}`, { path: 'id' });
        return json(detail);
      },
    ),

    /**
     * POST a CSV file (text/csv, at most 5 MB; `?file=` names it). Every row
     * is checked first: any problem is a 422 listing the row errors, with
     * nothing stored. A valid file is imported in one transaction, and the
     * answer streams NDJSON progress lines ending in `done` or `failed`.
     */
    importCsv: endpoint(
      {
        access: 'contacts.write',
        body: textBody(CSV_TYPES, BODY_LIMITS.csv),
        doc: {
          id: 'importContacts',
          summary: 'Import contacts from a CSV file',
          description:
            'Every row is checked first: any problem is a 422 listing the row errors, with nothing stored. A valid file is imported in one transaction; the answer streams NDJSON progress lines (`{ phase: "validating" | "importing", done, total }`) ending in `{ phase: "done", … }` or `{ phase: "failed", errors }`. `?file=` names the file in the audit.',
          responses: {
            200: fileResponse('NDJSON progress, one JSON object a line.', 'application/x-ndjson'),
            422: jsonResponse('Row errors; nothing was imported.', importRowErrors),
          },
        },
      },
      async ({ actor, body: text, query }) => {
        const fileName = fileNameOf(query.file ?? null);
        const prepared = await prepareCsvImport(await getPool(), getKeys(), { text, fileName, recordedBy: actorRef(actor), now: clock() });
        if (!prepared.ok) return rowErrorResponse(prepared.errors, prepared.rowCount);
        return ndjsonResponse(importProgress(prepared, log));
      },
    ),
  };
}

/**
 * The import's progress lines, ending in `done` or `failed`. The import runs
 * to its end (or rolls back) as a whole even if the client goes away; lines
 * it reports meanwhile wait in a queue until they are read.
 */
async function* importProgress(
  prepared: Extract<CsvImport, { ok: true }>,
  log: (message: string, err: unknown) => void,
): AsyncGenerator<unknown, void, undefined> {
  const queue: unknown[] = [{ phase: 'validating', done: prepared.rowCount, total: prepared.rowCount }];
  let wake: (() => void) | null = null;
  const push = (line: unknown) => {
    queue.push(line);
    wake?.();
  };
  let finished = false;
  void prepared
    .run(({ done, total }) => push({ phase: 'importing', done, total }))
    .then(
      (summary) => push({ phase: 'done', ...summary }),
      (err) => {
        log('contact import failed and was rolled back', err);
        push({ phase: 'failed', errors: [{ row: null, column: null, message: failureMessage(err) }] });
      },
    )
    .finally(() => {
      finished = true;
      wake?.();
    });
  for (;;) {
    while (queue.length > 0) yield queue.shift();
    if (finished) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

function rowErrorResponse(errors: RowError[], rowCount: number): Response {
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const more = errors.length - listed.length;
  const rowsWithErrors = new Set(errors.map((e) => e.row)).size;
  const message = `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in ${rowsWithErrors} ${rowsWithErrors === 1 ? 'row' : 'rows'}${rowCount ? ` of ${rowCount}` : ''}: nothing was imported. Fix the file and import it again.${more > 0 ? ` The first ${listed.length} are listed; ${more} more are not.` : ''}`;
  return json({ error: { code: 'unprocessable', message }, errors: listed, moreErrors: more }, { status: 422 });
}

/** A sentence for a failure during the import (the details go to the server log). */
function failureMessage(err: unknown): string {
  if (err instanceof ContactExistsError) {
    return 'a number in the file became a contact while the import ran; nothing was imported. Import the file again.';
  }
  if (isPgError(err, '23514') || isPgError(err, '23505')) {
    const constraint = (err as { constraint?: string }).constraint;
    return `the database refused a row${constraint ? ` (${constraint})` : ''}; nothing was imported.`;
  }
  if (err instanceof Error && /^row \d+:/.test(err.message)) return `${err.message}; nothing was imported.`;
  return 'the import failed on our side; nothing was imported. Try again; if it keeps happening, tell us.';
}

/** The file name a client gave (`?file=`), or "csv". */
function fileNameOf(given: string | null): string {
  if (given === null || given.trim() === '') return 'csv';
  const name = given.trim();
  if (name.length > 200 || [...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) {
    throw new AppError('validation_failed', 'file: the file name must be at most 200 characters with no control characters', {
      path: 'file',
    });
  }
  return name;
}
