import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type pg from 'pg';
import { z } from 'zod';
import { actorRef, type Actor } from '@/lib/access/roles';
import { isKnownZone } from '@/lib/compliance/local-time';
import { isUsState } from '@/lib/compliance/states';
import { recordAudit } from '@/lib/db/audit-repository';
import { consentRepository } from '@/lib/db/consent-repository';
import { ContactExistsError, contactRepository, type Contact, type ContactKeys } from '@/lib/db/contact-repository';
import { withTransaction } from '@/lib/db/queryable';
import { AppError } from '@/lib/app-error';
import { calendarDate } from '@/lib/fields';

/** The body of POST /api/contacts: a contact, with the evidence of their consent when given. */
export const contactBody = z.strictObject({
  phone: z.string({ error: 'give the phone number' }).min(1, { error: 'give the phone number' }),
  name: z.string().max(200, { error: 'is longer than 200 characters' }).optional(),
  dateOfBirth: calendarDate('1980-04-12').optional(),
  zip: z
    .string()
    .regex(/^\d{5}(-\d{4})?$/, { error: 'must be a US ZIP code like 60601' })
    .optional(),
  zone: z.string().refine(isKnownZone, { error: 'is not an IANA time zone like America/Chicago' }).optional(),
  state: z
    .string()
    .refine((s) => /^[A-Za-z]{2}$/.test(s) && isUsState(s), { error: 'is not a two-letter US state code like IL' })
    .optional(),
  attributes: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]), { error: 'must be an object of simple values' })
    .optional(),
  consent: z
    .strictObject({
      purpose: z.enum(['informational', 'marketing'], { error: 'must be informational or marketing' }),
      source: z.enum(['web_form', 'api', 'import', 'keyword', 'reply'], { error: 'must be web_form, api, import, keyword or reply' }),
      channel: z
        .enum(['sms', 'web', 'voice', 'paper', 'email', 'api'], { error: 'must be sms, web, voice, paper, email or api' })
        .optional(),
      text: z
        .string({ error: 'give the exact text the person agreed to' })
        .min(1, { error: 'give the exact text the person agreed to' })
        .max(2000),
      reply: z.string().max(1600).optional(),
      sourceRef: z.string().max(500).optional(),
      at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time like 2026-03-10T15:00:00Z' }),
    })
    .optional(),
});

export type NewContactInput = z.infer<typeof contactBody>;

/**
 * Creates a contact and, when given, the consent event that is the evidence
 * of their consent, in one transaction (audited); a validation_failed or
 * conflict AppError for a number that is not valid or already a contact.
 */
export async function createContact(pool: pg.Pool, keys: ContactKeys, actor: Actor, input: NewContactInput): Promise<Contact> {
  const phone = parsePhoneNumberFromString(input.phone, 'US');
  if (!phone?.isValid()) throw new AppError('validation_failed', `phone: "${input.phone}" is not a valid phone number`, { path: 'phone' });
  const existing = await contactRepository(pool, keys).findContactByPhone(phone.number);
  if (existing) throw new AppError('conflict', `phone: ${phone.number} is already a contact (${existing.id})`, { path: 'phone' });
  return withTransaction(pool, async (tx) => {
    let created: Contact;
    try {
      created = await contactRepository(tx, keys).createContact({
        phone: phone.number,
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.dateOfBirth !== undefined ? { dateOfBirth: input.dateOfBirth } : {}),
        ...(input.zip !== undefined ? { zip: input.zip } : {}),
        ...(input.zone !== undefined ? { zone: input.zone } : {}),
        ...(input.state !== undefined ? { state: input.state.toUpperCase() } : {}),
        ...(input.attributes !== undefined ? { attributes: input.attributes } : {}),
      });
    } catch (err) {
      // Someone added the number between our look and our insert.
      if (err instanceof ContactExistsError)
        throw new AppError('conflict', `phone: ${phone.number} is already a contact (${err.contactId})`, { path: 'phone' });
      throw err;
    }
    const c = input.consent;
    if (c) {
      await consentRepository(tx).appendConsentEvent({
        contactId: created.id,
        action: 'grant',
        purpose: c.purpose,
        source: c.source,
        channel: c.channel ?? (c.source === 'web_form' ? 'web' : 'api'),
        textShown: c.text,
        ...(c.reply ? { reply: c.reply } : {}),
        ...(c.sourceRef ? { sourceRef: c.sourceRef } : {}),
        recordedBy: actorRef(actor),
        occurredAt: new Date(c.at),
      });
    }
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'contact.created',
      subjectType: 'contact',
      subjectId: created.id,
      details: c ? { consent: { purpose: c.purpose, source: c.source } } : {},
    });
    return created;
  });
}
