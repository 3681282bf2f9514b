// Server only: reads contacts for the pages (the 'server-only' package is not installed here).
import { requirePermission, type Actor } from '@/lib/access/roles';
import { searchContacts, type ContactSearchResult } from '@/lib/contacts/contact-search';
import { loadContactDetail, type ContactDetail } from '@/lib/contacts/contact-view';
import { consentRepository } from '@/lib/db/consent-repository';
import { contactRepository, type ContactCursor } from '@/lib/db/contact-repository';
import { processData, type DataSource } from './source';

async function repositories(source: DataSource) {
  const pool = await source.pool();
  return { contacts: contactRepository(pool, source.contactKeys()), consent: consentRepository(pool) };
}

/** A page of contacts matching `q` (see lib/contacts/contact-search.ts), for an actor who may read them (checked before any query). */
export async function contactSearchPage(
  actor: Actor | null,
  query: { q: string; after?: ContactCursor },
  source: DataSource = processData,
): Promise<ContactSearchResult> {
  requirePermission(actor, 'read');
  return searchContacts(await repositories(source), query);
}

/** One contact with their consent timeline and runs (undefined when there is none), for an actor who may read it (checked before any query). */
export async function contactDetail(actor: Actor | null, id: string, source: DataSource = processData): Promise<ContactDetail | undefined> {
  requirePermission(actor, 'read');
  return loadContactDetail(await repositories(source), id);
}
