// Server only: reads the consent ledger for a page (the 'server-only' package is not installed here).
import { requirePermission, type Actor } from '@/lib/access/roles';
import { consentRepository, type ConsentEvent, type LedgerFilter, type LedgerVerdict } from '@/lib/db/consent-repository';
import { contactRepository, type Contact } from '@/lib/db/contact-repository';
import { processData, type DataSource } from './source';

/** What the consent ledger page shows. */
export interface ConsentLedgerPage {
  verdict: LedgerVerdict;
  events: ConsentEvent[];
  /** The contacts the events are about, by id. */
  people: Map<string, Contact>;
}

/** A page of the consent ledger with whether its hash chain is intact, for an actor who may read it (checked before any query). */
export async function consentLedgerPage(
  actor: Actor | null,
  filter: LedgerFilter,
  source: DataSource = processData,
): Promise<ConsentLedgerPage> {
  requirePermission(actor, 'read');
  const pool = await source.pool();
  const consent = consentRepository(pool);
  const [verdict, events] = await Promise.all([consent.verifyLedger(), consent.listLedger(filter)]);
  const people = await contactRepository(pool, source.contactKeys()).getContacts(events.map((e) => e.contactId));
  return { verdict, events, people };
}
