import type pg from 'pg';
import { recordAudit } from '@/lib/db/audit-repository';
import { consentRepository, type NewConsentEvent } from '@/lib/db/consent-repository';
import { contactImportRepository } from '@/lib/db/contact-import-repository';
import { contactRepository, type Contact, type ContactKeys, type ContactUpdate, type NewContact } from '@/lib/db/contact-repository';
import { withTransaction } from '@/lib/db/queryable';
import { validateContactsCsv, type ImportRow, type RowError } from './csv-import';

/**
 * Storing a validated contacts file: all of it in one transaction, or none.
 * New numbers become contacts; a number already a contact gets the fields the
 * row gives (empty cells keep what is stored); each row's consent becomes a
 * grant in the ledger with source `import`.
 *
 * The ledger is written last: an append holds the chain head's lock until
 * the transaction ends, so contacts go first and the lock is held only for
 * the final few statements (STOPs arriving meanwhile wait that long, not for
 * the whole file).
 */

/** Rows written between two progress reports (and per bulk statement). */
export const IMPORT_BATCH = 1000;

export interface ImportProgress {
  /** Units of work done: one per contact written, one per consent event. */
  done: number;
  total: number;
}

export interface ImportSummary {
  /** The import's id: a segment can select the contacts it wrote. */
  importId: string;
  created: number;
  updated: number;
  consents: number;
}

export interface ImportRequest {
  rows: readonly ImportRow[];
  /** The file's name (for the ledger's source ref and the audit log). */
  fileName: string;
  /** Who imported it, as the audit log names people (`actorRef`). */
  recordedBy: string;
  onProgress?: (progress: ImportProgress) => void;
}

/** A number in the file belongs to a contact who was erased: it cannot be imported. */
export function erasedRowErrors(rows: readonly ImportRow[], existing: ReadonlyMap<string, Contact>): RowError[] {
  return rows
    .filter((r) => existing.get(r.phone)?.erasedAt !== undefined)
    .map((r) => ({
      row: r.row,
      column: 'phone',
      message: `${r.phone} belonged to a contact whose data was erased; Optline keeps only their opt-out and cannot import the number again`,
    }));
}

/** Imports the rows in one transaction and records `contacts.imported`; throws (and stores nothing) if any statement fails. */
export async function importContacts(pool: pg.Pool, keys: ContactKeys, request: ImportRequest): Promise<ImportSummary> {
  const { rows, fileName, recordedBy } = request;
  const consentRows = rows.filter((r) => r.consent);
  const total = rows.length + consentRows.length;
  let done = 0;
  const report = (n: number) => {
    done += n;
    request.onProgress?.({ done, total });
  };

  return withTransaction(pool, async (tx) => {
    const contacts = contactRepository(tx, keys);
    // Locked, so a contact cannot change or be erased between this read and the writes below.
    const existing = await contacts.findContactsByPhones(
      rows.map((r) => r.phone),
      { lock: true },
    );
    const erased = erasedRowErrors(rows, existing);
    if (erased.length > 0) throw new Error(`row ${erased[0]!.row}: ${erased[0]!.message}`);

    const idOfPhone = new Map<string, string>();
    const fresh: ImportRow[] = [];
    const updates: ContactUpdate[] = [];
    for (const row of rows) {
      const current = existing.get(row.phone);
      if (current) {
        idOfPhone.set(row.phone, current.id);
        updates.push({ id: current.id, fields: fieldsOf(row, current) });
      } else {
        fresh.push(row);
      }
    }
    for (let i = 0; i < fresh.length; i += IMPORT_BATCH) {
      const chunk = fresh.slice(i, i + IMPORT_BATCH);
      const ids = await contacts.createContacts(chunk.map((row): NewContact => ({ phone: row.phone, ...fieldsOf(row, undefined) })));
      chunk.forEach((row, k) => idOfPhone.set(row.phone, ids[k]!));
      report(chunk.length);
    }
    for (let i = 0; i < updates.length; i += IMPORT_BATCH) {
      const chunk = updates.slice(i, i + IMPORT_BATCH);
      // A row that gives only the number (and perhaps consent) leaves the contact as it is.
      await contacts.updateContacts(chunk.filter((u) => Object.keys(u.fields).length > 0));
      report(chunk.length);
    }

    const ledger = consentRepository(tx);
    for (let i = 0; i < consentRows.length; i += IMPORT_BATCH) {
      const chunk = consentRows.slice(i, i + IMPORT_BATCH);
      await ledger.appendConsentEvents(
        chunk.map((row): NewConsentEvent => {
          const c = row.consent!;
          return {
            contactId: idOfPhone.get(row.phone)!,
            action: 'grant',
            purpose: c.purpose,
            source: 'import',
            channel: c.channel,
            ...(c.textShown !== undefined ? { textShown: c.textShown } : {}),
            sourceRef: `${fileName}:row ${row.row}`,
            ...(c.reference !== undefined ? { details: { sourceRecord: c.reference } } : {}),
            recordedBy,
            occurredAt: c.occurredAt,
          };
        }),
      );
      report(chunk.length);
    }

    const summary = { created: fresh.length, updated: updates.length, consents: consentRows.length };
    const importId = await contactImportRepository(tx).record({
      fileName,
      importedBy: recordedBy,
      contactIds: [...idOfPhone.values()],
    });
    await recordAudit(tx, {
      actor: recordedBy,
      action: 'contacts.imported',
      subjectType: 'contacts',
      subjectId: null,
      details: { file: fileName, importId, rows: rows.length, ...summary },
    });
    return { ...summary, importId };
  });
}

/**
 * The stored fields a row sets. `first_name` is kept in the attributes; a
 * contact with no name takes it as their name, so `{{contact.first_name}}`
 * in a message works for them.
 */
function fieldsOf(row: ImportRow, current: Contact | undefined): Omit<NewContact, 'phone'> {
  const name = row.name ?? (row.firstName !== undefined && current?.name === undefined ? row.firstName : undefined);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(row.dateOfBirth !== undefined ? { dateOfBirth: row.dateOfBirth } : {}),
    ...(row.zip !== undefined ? { zip: row.zip } : {}),
    ...(row.zone !== undefined ? { zone: row.zone } : {}),
    ...(row.state !== undefined ? { state: row.state } : {}),
    ...(row.firstName !== undefined || row.attributes
      ? {
          attributes: {
            ...(current?.attributes ?? {}),
            ...(row.firstName !== undefined ? { first_name: row.firstName } : {}),
            ...row.attributes,
          },
        }
      : {}),
    ...(row.tags ? { tags: row.tags } : {}),
  };
}

/** What a contacts file comes to: refused with every row's problems (nothing stored), or an import to run. */
export type CsvImport =
  | { ok: false; errors: RowError[]; rowCount: number }
  | { ok: true; rowCount: number; run: (onProgress: (p: ImportProgress) => void) => Promise<ImportSummary> };

/**
 * Checks a contacts file as a whole before anything is stored: its rows
 * (`validateContactsCsv`, "not in the future" against `now`), then numbers
 * that belong to erased contacts. A file without problems comes back as an
 * import to run, in one transaction (`importContacts`).
 */
export async function prepareCsvImport(
  pool: pg.Pool,
  keys: ContactKeys,
  request: { text: string; fileName: string; recordedBy: string; now: Date },
): Promise<CsvImport> {
  const validation = validateContactsCsv(request.text, request.now);
  if (!validation.ok) return { ok: false, errors: validation.errors, rowCount: validation.rowCount };
  const rows = validation.rows;
  const existing = await contactRepository(pool, keys).findContactsByPhones(rows.map((r) => r.phone));
  const erased = erasedRowErrors(rows, existing);
  if (erased.length > 0) return { ok: false, errors: erased, rowCount: rows.length };
  return {
    ok: true,
    rowCount: rows.length,
    run: (onProgress) => importContacts(pool, keys, { rows, fileName: request.fileName, recordedBy: request.recordedBy, onProgress }),
  };
}
