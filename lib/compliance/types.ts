/** Why a message is sent; decides which consent and which window apply (COMPLIANCE.md, "Purposes and consent"). */
export type Purpose = 'informational' | 'marketing';

export const PURPOSES: readonly Purpose[] = ['informational', 'marketing'];

/** What Optline knows of where a recipient is. Every field is optional. */
export interface ContactLocation {
  /** E.164 phone number, e.g. "+12125550100". */
  phone?: string;
  /** Explicit IANA zone, e.g. "America/Chicago". */
  zone?: string;
  /** US ZIP code (5 digits, or ZIP+4). */
  zip?: string;
  /** Two-letter US state or territory code, e.g. "FL". */
  state?: string;
}

/**
 * The consent a number has right now, as the ledger says:
 * `granted` — marketing (written) consent, which also covers informational texts;
 * `informational` — informational consent only;
 * `missing` — none on record; `revoked` — a STOP with no START after it.
 */
export type ConsentLevel = 'granted' | 'informational' | 'missing' | 'revoked';

/** Whether a consent level covers a purpose (marketing consent covers informational, not the reverse). */
export function consentCovers(level: ConsentLevel, purpose: Purpose): boolean {
  switch (level) {
    case 'granted':
      return true;
    case 'informational':
      return purpose === 'informational';
    case 'missing':
    case 'revoked':
      return false;
    default: {
      const unreachable: never = level;
      return unreachable;
    }
  }
}

/** One entry of a contact's consent ledger, as far as the level it leaves depends on it. */
export interface LedgerEntry {
  action: 'grant' | 'revoke';
  purpose: Purpose | 'all';
}

/**
 * The consent level after a contact's events, in the order they occurred.
 * Marketing consent covers informational; a revocation covers every purpose
 * and holds until a later grant, which restores only what it grants.
 */
export function consentLevelOf(events: readonly LedgerEntry[]): ConsentLevel {
  let marketing = false;
  let informational = false;
  let revoked = false;
  for (const e of events) {
    if (e.action === 'revoke') {
      marketing = false;
      informational = false;
      revoked = true;
    } else if (e.purpose === 'marketing') {
      marketing = true;
    } else if (e.purpose === 'informational') {
      informational = true;
    }
  }
  if (marketing) return 'granted';
  if (informational) return 'informational';
  return revoked ? 'revoked' : 'missing';
}
