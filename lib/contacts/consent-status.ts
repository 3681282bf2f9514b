import type { ConsentLevel, Purpose } from '@/lib/compliance/types';

/** A purpose's standing for one contact: granted, withdrawn (a STOP or other revocation not since re-granted), or never given. */
export type PurposeStatus = 'granted' | 'revoked' | 'none';

export interface ConsentByPurpose {
  informational: PurposeStatus;
  marketing: PurposeStatus;
}

/**
 * Each purpose's status from the ledger's verdict (`consentLevelOf`) and
 * whether the contact ever revoked: marketing consent covers informational
 * texts, so a marketing grant shows both as granted.
 */
export function consentByPurpose(
  level: ConsentLevel,
  events: readonly { action: 'grant' | 'revoke'; purpose: Purpose | 'all' }[],
): ConsentByPurpose {
  const everRevoked = events.some((e) => e.action === 'revoke');
  const otherwise: PurposeStatus = everRevoked ? 'revoked' : 'none';
  return {
    marketing: level === 'granted' ? 'granted' : otherwise,
    informational: level === 'granted' || level === 'informational' ? 'granted' : otherwise,
  };
}
