import type pg from 'pg';
import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import { exportConsentLedger, ledgerPageView } from '@/lib/contacts/consent-ledger';
import { ledgerFilterOf } from '@/lib/contacts/ledger-filter';
import { contactKeys, type ContactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import { env } from '@/lib/env';
import { AppError } from '@/lib/app-error';
import { endpoints, fileResponse, jsonResponse } from '@/lib/http/endpoint';
import { ledgerPage, ledgerQuery } from '@/app/api/contacts/contact-responses';
import { uuidField } from '@/lib/fields';
import { json } from '@/lib/http/route';
import { csvDownload } from '@/lib/http/stream';

export interface ConsentHandlerDeps {
  authenticate: Authenticate;
  pool?: () => Promise<pg.Pool>;
  keys?: () => ContactKeys;
  /** The clock the export's file name is dated by. */
  clock?: () => Date;
}

const exportQuery = z.object({ contactId: uuidField('a contact id').optional() });

/** GET /api/consent (the ledger, filtered, newest first) and GET /api/consent/export.csv: adapters over lib/contacts/consent-ledger.ts. */
export function consentHandlers(deps: ConsentHandlerDeps) {
  const getPool = deps.pool ?? (async () => (await database()).pool);
  const getKeys = deps.keys ?? (() => contactKeys(env().appSecret));
  const clock = deps.clock ?? (() => new Date());
  const endpoint = endpoints(deps);

  return {
    /** GET `?action=&purpose=&source=&from=&to=&before=`: up to 100 events, newest first, with who they concern. */
    list: endpoint(
      {
        access: 'read',
        doc: {
          id: 'listConsent',
          summary: 'Read the consent ledger',
          description: 'Up to 100 events, newest first, with who they concern.',
          query: ledgerQuery,
          responses: { 200: jsonResponse('A page of the ledger.', ledgerPage) },
        },
      },
      async ({ query }) => {
        const { filter, problems } = ledgerFilterOf(query, 100);
        if (problems.length > 0)
          throw new AppError('validation_failed', `${problems[0]!.path}: ${problems[0]!.message}`, {
            path: problems[0]!.path,
            details: problems,
          });
        return json(await ledgerPageView(await getPool(), getKeys(), { ...filter, limit: 100 }));
      },
    ),

    /** GET `?contactId=`: the ledger (or one contact's events) as CSV, in chain order, streamed; audited. */
    exportCsv: endpoint(
      {
        access: 'audit.export',
        query: exportQuery,
        doc: {
          id: 'exportConsent',
          summary: 'Export the consent ledger as CSV',
          description:
            "The ledger (or one contact's events, `?contactId=`) in chain order, streamed, with each event's hash; the export is audited.",
          responses: { 200: fileResponse('The CSV file, as an attachment.', 'text/csv') },
        },
      },
      async ({ actor, query: { contactId } }) => {
        const { fileName, lines } = await exportConsentLedger(await getPool(), getKeys(), actor, {
          ...(contactId ? { contactId } : {}),
          now: clock(),
        });
        return csvDownload(fileName, lines);
      },
    ),
  };
}
