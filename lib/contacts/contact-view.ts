import type { ConsentLevel } from '@/lib/compliance/types';
import { resolveZones } from '@/lib/compliance/zones';
import type { ConsentEvent, ConsentRepository } from '@/lib/db/consent-repository';
import { consentLevelOf } from '@/lib/compliance/types';
import type { Contact, ContactCursor, ContactRepository, ContactRun } from '@/lib/db/contact-repository';
import { consentByPurpose, type ConsentByPurpose } from './consent-status';
import type { ContactSearchResult } from './contact-search';
import { UUID } from '@/lib/fields';

/**
 * What the contacts API and pages show of a contact. ZIP and date of birth
 * are the knowledge check of `verify.identity`, so they are never shown in
 * full: the ZIP keeps its first three digits, the date of birth only whether
 * it is on file.
 */

export interface ContactSummaryView {
  id: string;
  phone: string | null;
  name: string | null;
  state: string | null;
  zone: string | null;
  createdAt: string;
  erased: boolean;
  consent: ConsentByPurpose;
  /** Labels for segments. */
  tags: string[];
}

export interface ContactDetailView extends Omit<ContactSummaryView, 'consent' | 'tags'> {
  firstName: string | null;
  /** The first three digits, e.g. 606••. */
  zipMasked: string | null;
  dateOfBirthOnFile: boolean;
  /** The zones the runtime reckons this contact's sending windows in (the contact's times are shown in them). */
  zones: string[];
  updatedAt: string;
  erasedAt: string | null;
}

/** A consent event as the API and the contact page show it: the ledger's event, times as ISO strings, without the chain link to the event before. */
export type ConsentEventView = Omit<ConsentEvent, 'contactId' | 'prevHash' | 'occurredAt' | 'recordedAt'> & {
  occurredAt: string;
  recordedAt: string;
};

export interface ContactRunView {
  id: string;
  flowId: string;
  flowName: string;
  version: number;
  status: string;
  stopReason: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface ContactDetail {
  contact: ContactDetailView;
  consent: { level: ConsentLevel } & ConsentByPurpose;
  events: ConsentEventView[];
  runs: ContactRunView[];
}

/** Who a contact is and where, as every answer that names one shows it. */
export function contactFieldsView(contact: Contact) {
  return {
    id: contact.id,
    phone: contact.phone,
    name: contact.name ?? null,
    state: contact.state ?? null,
    zone: contact.zone ?? null,
    createdAt: contact.createdAt.toISOString(),
  };
}

/** The list entry of a contact. */
export function summaryView(contact: Contact, consent: ConsentByPurpose): ContactSummaryView {
  return { ...contactFieldsView(contact), erased: contact.erasedAt !== undefined, consent, tags: contact.tags };
}

/** A search result as the API answers it; the cursor is opaque to clients. */
export function searchResultView(result: ContactSearchResult) {
  return {
    search: result.kind,
    contacts: result.items.map((i) => summaryView(i.contact, i.consent)),
    nextCursor: result.nextCursor ? encodeCursor(result.nextCursor) : null,
    ...(result.scanned !== undefined ? { scanned: result.scanned } : {}),
  };
}

/** The view of a ledger event. */
export function eventView(e: ConsentEvent): ConsentEventView {
  const { contactId: _contactId, prevHash: _prevHash, occurredAt, recordedAt, ...rest } = e;
  return { ...rest, occurredAt: occurredAt.toISOString(), recordedAt: recordedAt.toISOString() };
}

function runView(r: ContactRun): ContactRunView {
  return { ...r, startedAt: r.startedAt.toISOString(), endedAt: r.endedAt?.toISOString() ?? null };
}

/** Everything the contact page shows, or undefined when there is no such contact. */
export async function loadContactDetail(
  repos: { contacts: ContactRepository; consent: ConsentRepository },
  id: string,
): Promise<ContactDetail | undefined> {
  const contact = await repos.contacts.getContact(id);
  if (!contact) return undefined;
  const [events, runs] = await Promise.all([repos.consent.listConsentEvents(id), repos.contacts.runsOfContact(id)]);
  const level = consentLevelOf(events);
  const firstName = contact.attributes.first_name;
  return {
    contact: {
      id: contact.id,
      phone: contact.phone,
      name: contact.name ?? null,
      firstName: typeof firstName === 'string' ? firstName : null,
      state: contact.state ?? null,
      zone: contact.zone ?? null,
      zipMasked: contact.zip ? `${contact.zip.slice(0, 3)}••` : null,
      dateOfBirthOnFile: contact.dateOfBirth !== undefined,
      zones: resolveZones({ phone: contact.phone ?? undefined, zone: contact.zone, zip: contact.zip }),
      createdAt: contact.createdAt.toISOString(),
      updatedAt: contact.updatedAt.toISOString(),
      erased: contact.erasedAt !== undefined,
      erasedAt: contact.erasedAt?.toISOString() ?? null,
    },
    consent: { level, ...consentByPurpose(level, events) },
    events: events.map(eventView),
    runs: runs.map(runView),
  };
}

/** A cursor as a URL-safe token. */
export function encodeCursor(cursor: ContactCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor in a token, or undefined when it is not one of ours. */
export function decodeCursor(token: string): ContactCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string' || !UUID.test(id)) return undefined;
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(createdAt)) return undefined;
    return { createdAt, id };
  } catch {
    return undefined;
  }
}
