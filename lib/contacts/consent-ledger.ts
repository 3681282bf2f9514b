import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { consentRepository, type ConsentEvent, type LedgerFilter } from '@/lib/db/consent-repository';
import { contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { AppError } from '@/lib/app-error';
import { eventView, type ConsentEventView } from './contact-view';
import { CSV_BOM, csvLine } from './csv-write';

/** The export's columns, in order (docs/compliance.md, "Record keeping": who, purpose, when, source, the exact text). */
export const EXPORT_COLUMNS = [
  'contact_phone',
  'contact_name',
  'purpose',
  'action',
  'occurred_at',
  'source',
  'channel',
  'text_shown',
  'reply',
  'source_ref',
  'recorded_by',
  'event_id',
  'hash',
  'recorded_at',
  'contact_id',
] as const;

/** Events read per query while streaming an export. */
const EXPORT_BATCH = 1000;

/** A page of the ledger as the console and the API show it. */
export interface LedgerPage {
  events: (ConsentEventView & { contact: { id: string; phone: string | null; name: string | null } })[];
  /** The `before` of the next page, or null on the last. */
  nextBefore: number | null;
}

/** A page of the ledger, newest first, with who each event concerns. */
export async function ledgerPageView(pool: pg.Pool, keys: ContactKeys, filter: LedgerFilter & { limit: number }): Promise<LedgerPage> {
  const events = await consentRepository(pool).listLedger(filter);
  const contacts = await contactRepository(pool, keys).getContacts(events.map((e) => e.contactId));
  return {
    events: events.map((e) => ({
      ...eventView(e),
      contact: { id: e.contactId, phone: contacts.get(e.contactId)?.phone ?? null, name: contacts.get(e.contactId)?.name ?? null },
    })),
    nextBefore: events.length === filter.limit ? events[events.length - 1]!.id : null,
  };
}

/**
 * The ledger (or one contact's events) as CSV lines, in chain order, read in
 * batches as they are taken. It ends at the event that was last when the
 * export began, so the file is one consistent prefix of the chain; the
 * export is audited before the first line.
 */
export async function exportConsentLedger(
  pool: pg.Pool,
  keys: ContactKeys,
  actor: Actor,
  { contactId, now }: { contactId?: string; now: Date },
): Promise<{ fileName: string; lines: AsyncGenerator<string, void, undefined> }> {
  const contacts = contactRepository(pool, keys);
  if (contactId && !(await contacts.getContact(contactId)))
    throw new AppError('not_found', `contactId: there is no contact ${contactId}`, { path: 'contactId' });
  const ledger = consentRepository(pool);
  const throughId = await ledger.lastEventId();
  await recordAudit(pool, {
    actor: actorRef(actor),
    action: 'consent.exported',
    subjectType: contactId ? 'contact' : 'consent_ledger',
    subjectId: contactId ?? null,
    details: { throughEvent: throughId, ...(contactId ? { contactId } : {}) },
  });
  async function* lines(): AsyncGenerator<string, void, undefined> {
    yield CSV_BOM + csvLine(EXPORT_COLUMNS);
    for (let afterId = 0; ;) {
      const events = await ledger.ledgerAfter(afterId, EXPORT_BATCH, { throughId, ...(contactId ? { contactId } : {}) });
      if (events.length === 0) return;
      const people = await contacts.getContacts(events.map((e) => e.contactId));
      yield events.map((e) => exportLine(e, people.get(e.contactId))).join('');
      afterId = events[events.length - 1]!.id;
    }
  }
  const stamp = now.toISOString().slice(0, 10);
  return { fileName: contactId ? `consent-${contactId}-${stamp}.csv` : `consent-ledger-${stamp}.csv`, lines: lines() };
}

function exportLine(e: ConsentEvent, contact: { phone: string | null; name?: string } | undefined): string {
  return csvLine([
    contact?.phone ?? '(erased)',
    contact?.name ?? '',
    e.purpose,
    e.action,
    e.occurredAt.toISOString(),
    e.source,
    e.channel,
    e.textShown,
    e.reply,
    e.sourceRef,
    e.recordedBy,
    e.id,
    e.hash,
    e.recordedAt.toISOString(),
    e.contactId,
  ]);
}
