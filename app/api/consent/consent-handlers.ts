import type pg from 'pg';
import { actorRef, type Authenticate } from '@/lib/auth/roles';
import { eventView } from '@/lib/contacts/contact-view';
import { CSV_BOM, csvLine } from '@/lib/contacts/csv-write';
import { ledgerFilterOf } from '@/lib/contacts/ledger-filter';
import { recordAudit } from '@/lib/db/audit-repository';
import { consentRepository, type ConsentEvent } from '@/lib/db/consent-repository';
import { contactKeys, contactRepository, type ContactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import { env } from '@/lib/env';
import { AppError } from '@/lib/http/app-error';
import { endpoints } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { UUID } from '@/lib/db/uuid';

export interface ConsentHandlerDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
  keys?: () => ContactKeys;
}

/** The export's columns, in order (COMPLIANCE.md, "Record keeping": who, purpose, when, source, the exact text). */
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

/** GET /api/consent (the ledger, filtered, newest first) and GET /api/consent/export.csv. */
export function consentHandlers(deps: ConsentHandlerDeps) {
  const getPool = deps.pool ?? (async () => (await database()).pool);
  const getKeys = deps.keys ?? (() => contactKeys(env().appSecret));
  const endpoint = endpoints(deps);

  return {
    /** GET `?action=&purpose=&source=&from=&to=&before=`: up to 100 events, newest first, with who they concern. */
    list: endpoint({ access: 'read' }, async ({ query }) => {
      const { filter, problems } = ledgerFilterOf(query, 100);
      if (problems.length > 0)
        throw new AppError('validation_failed', `${problems[0]!.path}: ${problems[0]!.message}`, {
          path: problems[0]!.path,
          details: problems,
        });
      const pool = await getPool();
      const events = await consentRepository(pool).listLedger(filter);
      const contacts = await contactRepository(pool, getKeys()).getContacts(events.map((e) => e.contactId));
      return json({
        events: events.map((e) => ({
          ...eventView(e),
          contact: { id: e.contactId, phone: contacts.get(e.contactId)?.phone ?? null, name: contacts.get(e.contactId)?.name ?? null },
        })),
        nextBefore: events.length === filter.limit ? events[events.length - 1]!.id : null,
      });
    }),

    /**
     * GET `?contactId=`: the ledger (or one contact's events) as CSV, in chain
     * order, streamed in batches. It ends at the event that was last when the
     * export began, so the file is one consistent prefix of the chain.
     */
    exportCsv: endpoint({ access: 'audit.export' }, async ({ actor, query }) => {
      const contactId = query.contactId;
      if (contactId !== undefined && !UUID.test(contactId))
        throw new AppError('validation_failed', `contactId: "${contactId}" is not a contact id (a UUID)`, { path: 'contactId' });
      const pool = await getPool();
      const contacts = contactRepository(pool, getKeys());
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

      const encoder = new TextEncoder();
      let afterId = 0;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(CSV_BOM + csvLine(EXPORT_COLUMNS)));
        },
        async pull(controller) {
          const events = await ledger.ledgerAfter(afterId, EXPORT_BATCH, { throughId, ...(contactId ? { contactId } : {}) });
          if (events.length === 0) {
            controller.close();
            return;
          }
          const people = await contacts.getContacts(events.map((e) => e.contactId));
          controller.enqueue(encoder.encode(events.map((e) => exportLine(e, people.get(e.contactId))).join('')));
          afterId = events[events.length - 1]!.id;
        },
      });
      const stamp = new Date().toISOString().slice(0, 10);
      const name = contactId ? `consent-${contactId}-${stamp}.csv` : `consent-ledger-${stamp}.csv`;
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}"`,
          'cache-control': 'no-store',
        },
      });
    }),
  };
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
