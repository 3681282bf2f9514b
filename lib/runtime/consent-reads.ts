import type { ConsentLevel } from '@/lib/compliance/types';
import { consentRepository } from '@/lib/db/consent-repository';
import type { Queryable } from '@/lib/db/queryable';

/**
 * Contacts' consent as a transaction sees it, read once per contact: those
 * named up front in one statement, any other when first asked for.
 */
export class ConsentReads {
  private readonly known: Promise<Map<string, ConsentLevel>>;

  constructor(
    private readonly tx: Queryable,
    prefetch: readonly string[] = [],
  ) {
    this.known = prefetch.length ? consentRepository(tx).currentConsentOf(prefetch) : Promise.resolve(new Map());
    // A failed read fails the transaction's next statement anyway; it surfaces where it is asked for.
    this.known.catch(() => undefined);
  }

  /** Once the prefetch has answered (or failed: the failure surfaces where a level is asked for). */
  async ready(): Promise<void> {
    await this.known.catch(() => undefined);
  }

  /** The contact's consent level. */
  async of(contactId: string): Promise<ConsentLevel> {
    const known = await this.known;
    let level = known.get(contactId);
    if (level === undefined) {
      level = await consentRepository(this.tx).currentConsent(contactId);
      known.set(contactId, level);
    }
    return level;
  }
}
