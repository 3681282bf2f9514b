import { z } from 'zod';
import { errorBody, isoTime } from '@/lib/http/openapi';
import { LEDGER_ACTIONS, LEDGER_PURPOSES, LEDGER_SOURCES } from '@/lib/contacts/ledger-filter';

/** The answers of the contact and consent handlers, as the OpenAPI document describes them. */

/** Who a contact is and where, as every answer that names one shows it. */
export const contactFields = z.object({
  id: z.string().meta({ description: 'A UUID.' }),
  phone: z
    .string()
    .nullable()
    .meta({ description: 'E.164; null once the contact is erased.', examples: ['+15551234567'] }),
  name: z.string().nullable(),
  state: z.string().nullable(),
  zone: z.string().nullable(),
  createdAt: isoTime,
});

const consentByPurpose = z.looseObject({}).meta({ description: 'The consent in force, per purpose (transactional, marketing, …).' });

/** A consent ledger event (its hash chains it to the one before). */
export const consentEvent = z.looseObject({
  id: z.number().int(),
  action: z.enum(['grant', 'revoke']),
  purpose: z.string(),
  source: z.string(),
  channel: z.string(),
  occurredAt: isoTime,
  recordedAt: isoTime,
  hash: z.string(),
});

export const contactCreated = z.object({ contact: contactFields });
export const contactByPhone = z.object({
  contact: contactFields,
  consent: z.unknown().meta({ description: 'The consent level in force.' }),
});
export const contactSearch = z.object({
  search: z.string().meta({ description: 'How `q` was read (a phone number, a name, …).' }),
  contacts: z.array(
    contactFields.extend({
      erased: z.boolean(),
      consent: consentByPurpose,
      tags: z.array(z.string()).meta({ description: 'The tags a segment can select the contact by.' }),
    }),
  ),
  nextCursor: z.string().nullable(),
  scanned: z.number().int().optional(),
});
export const contactDetail = z.object({
  contact: z.looseObject({ id: z.string(), phone: z.string().nullable(), zipMasked: z.string().nullable(), erased: z.boolean() }),
  consent: z.looseObject({}),
  events: z.array(consentEvent),
  runs: z.array(
    z.object({
      id: z.string(),
      flowId: z.string(),
      flowName: z.string(),
      version: z.number().int(),
      status: z.string(),
      stopReason: z.string().nullable(),
      startedAt: isoTime,
      endedAt: isoTime.nullable(),
    }),
  ),
});

/** The 422 of a CSV import: the error shape with the row errors. */
export const importRowErrors = errorBody.extend({
  errors: z.array(z.object({ row: z.number().int().nullable(), column: z.string().nullable(), message: z.string() })),
  moreErrors: z.number().int().meta({ description: 'Row errors found but not listed.' }),
});

export const ledgerPage = z.object({
  events: z.array(
    consentEvent.extend({ contact: z.object({ id: z.string(), phone: z.string().nullable(), name: z.string().nullable() }) }),
  ),
  nextBefore: z.number().int().nullable().meta({ description: 'The `before` of the next page, or null on the last.' }),
});

/** The query parameters of GET /api/contacts, for the document (the handler reads them itself: `phone` answers differently). */
export const contactListQuery = z.object({
  q: z.string().max(200).optional().meta({ description: 'A phone number, a name or part of one.' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the page before.' }),
  phone: z.string().optional().meta({ description: 'A phone number (US or E.164): answers that contact and their consent, or a 404.' }),
});

/** The query parameters of GET /api/consent, for the document (lib/contacts/ledger-filter.ts reads them, with its own messages). */
export const ledgerQuery = z.object({
  action: z.enum(LEDGER_ACTIONS).optional(),
  purpose: z.enum(LEDGER_PURPOSES).optional(),
  source: z.enum(LEDGER_SOURCES).optional(),
  from: z.string().optional().meta({ description: 'The first day, YYYY-MM-DD (UTC).' }),
  to: z.string().optional().meta({ description: 'The last day, YYYY-MM-DD (UTC).' }),
  before: z.string().optional().meta({ description: 'The `nextBefore` of the page before.' }),
});
