import type { IdentityMethod } from '@/lib/flow/machine-events';

export type { IdentityMethod } from '@/lib/flow/machine-events';

/**
 * What `messages` and `inbound_texts` keep of a text that answered an
 * identity check: the answer itself is kept only as a keyed hash
 * (identity-hash.ts), so the text that carried it is not kept readable either.
 */
export const IDENTITY_ANSWER_MASK = '[identity answer]';

/**
 * A contact's answer reduced to what is compared: the digits of a code or a
 * ZIP (ZIP+4 counts as its 5 digits), a date of birth as YYYYMMDD from
 * `1980-04-12` or the US `4/12/1980`. Pure; the simulator and the runtime
 * compare the same way.
 */
export function normalizeIdentityAnswer(text: string, method: IdentityMethod): string {
  if (method !== 'dob') return text.replace(/\D/g, '').slice(0, method === 'zip' ? 5 : 6);
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return `${iso[1]}${iso[2]!.padStart(2, '0')}${iso[3]!.padStart(2, '0')}`;
  const us = /^(\d{1,2})\D(\d{1,2})\D(\d{4})$/.exec(t);
  if (us) return `${us[3]}${us[1]!.padStart(2, '0')}${us[2]!.padStart(2, '0')}`;
  return t.replace(/\D/g, '');
}
