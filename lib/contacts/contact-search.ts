import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ConsentRepository } from '@/lib/db/consent-repository';
import type { Contact, ContactCursor, ContactRepository } from '@/lib/db/contact-repository';
import { consentByPurpose, type ConsentByPurpose } from './consent-status';
import { consentLevelOf } from '@/lib/compliance/types';

/**
 * Finding contacts. Names are encrypted at rest (each bound to its row), so
 * the database cannot search them; the trade-off chosen here:
 *
 * - a full phone number (any format) is looked up by its keyed hash: exact,
 *   one index probe, and it also finds an erased contact's record;
 * - a few digits match anywhere in the E.164 number, which is stored in clear
 *   (the send path needs it): `555` finds every number containing 555;
 * - anything else is a name: the server decrypts contacts page by page,
 *   newest first, and keeps those whose name contains the words
 *   (case- and accent-insensitive). One request decrypts at most
 *   NAME_SCAN_LIMIT contacts; the cursor continues the scan where it stopped,
 *   so a search over a large list is "load more", never a silent miss.
 */

export const PAGE_SIZE = 50;
export const NAME_SCAN_LIMIT = 5000;
const SCAN_BATCH = 500;

export type SearchKind = 'all' | 'phone' | 'digits' | 'name';

export interface ContactListItem {
  contact: Contact;
  consent: ConsentByPurpose;
}

export interface ContactSearchResult {
  kind: SearchKind;
  items: ContactListItem[];
  /** Where the next page starts; null at the end. */
  nextCursor: ContactCursor | null;
  /** For a name search: how many contacts this request decrypted and looked at. */
  scanned?: number;
}

/** How a query is read: a full number, some digits, a name, or nothing. */
export function searchKindOf(q: string): { kind: SearchKind; phone?: string; digits?: string; words?: string } {
  const text = q.trim();
  if (text === '') return { kind: 'all' };
  if (/^[\d\s()+.-]+$/.test(text)) {
    const phone = parsePhoneNumberFromString(text, 'US');
    if (phone?.isValid()) return { kind: 'phone', phone: phone.number };
    return { kind: 'digits', digits: text.replace(/\D/g, '') };
  }
  return { kind: 'name', words: fold(text) };
}

/** Lower case without accents, for a forgiving name match. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/** A page of contacts matching `q`, with each one's consent per purpose. */
export async function searchContacts(
  repos: { contacts: ContactRepository; consent: ConsentRepository },
  query: { q: string; after?: ContactCursor; limit?: number },
): Promise<ContactSearchResult> {
  const limit = query.limit ?? PAGE_SIZE;
  const how = searchKindOf(query.q);
  let found: { contact: Contact; cursor: ContactCursor }[];
  let nextCursor: ContactCursor | null = null;
  let scanned: number | undefined;

  switch (how.kind) {
    case 'phone': {
      const contact = (await repos.contacts.findContactsByPhones([how.phone!])).get(how.phone!);
      found = contact ? [{ contact, cursor: { createdAt: '', id: contact.id } }] : [];
      break;
    }
    case 'all':
    case 'digits': {
      const page = await repos.contacts.listContacts({
        limit: limit + 1,
        ...(query.after ? { after: query.after } : {}),
        ...(how.digits ? { phoneDigits: how.digits } : {}),
      });
      found = page.slice(0, limit);
      if (page.length > limit) nextCursor = found[found.length - 1]!.cursor;
      break;
    }
    case 'name': {
      found = [];
      scanned = 0;
      let after = query.after;
      for (;;) {
        const batch = await repos.contacts.listContacts({ limit: SCAN_BATCH, ...(after ? { after } : {}) });
        let stoppedEarly = false;
        for (const entry of batch) {
          scanned++;
          after = entry.cursor;
          if (entry.contact.name !== undefined && fold(entry.contact.name).includes(how.words!)) found.push(entry);
          if (found.length === limit) {
            stoppedEarly = true;
            break;
          }
        }
        const atEnd = batch.length < SCAN_BATCH && !stoppedEarly;
        if (atEnd) break;
        if (stoppedEarly || scanned >= NAME_SCAN_LIMIT) {
          nextCursor = after ?? null;
          break;
        }
      }
      break;
    }
    default: {
      const never: never = how.kind;
      throw new Error(`unknown search kind ${String(never)}`);
    }
  }

  const histories = await repos.consent.consentHistories(found.map((f) => f.contact.id));
  const items = found.map(({ contact }) => {
    const history = histories.get(contact.id) ?? [];
    return { contact, consent: consentByPurpose(consentLevelOf(history), history) };
  });
  return { kind: how.kind, items, nextCursor, ...(scanned !== undefined ? { scanned } : {}) };
}
