import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number as the runs screens show it: the country code and the last
 * four digits, e.g. `+1 •••• ••12 34` for +12125551234; null for an erased
 * contact. Enough to tell contacts apart, not enough to text them.
 */
export function maskPhone(e164: string | null): string | null {
  if (!e164) return null;
  const parsed = parsePhoneNumberFromString(e164);
  const code = parsed?.countryCallingCode ?? e164.slice(1, 2);
  const national = parsed ? String(parsed.nationalNumber) : e164.slice(1 + code.length);
  if (national.length <= 4) return `+${code} ${'•'.repeat(national.length)}`;
  const masked = '•'.repeat(national.length - 4) + national.slice(-4);
  // Groups of four, then the last two on their own: ••••••1234 → •••• ••12 34.
  const head = masked.slice(0, -2);
  const groups: string[] = [];
  for (let i = 0; i < head.length; i += 4) groups.push(head.slice(i, i + 4));
  return `+${code} ${[...groups, masked.slice(-2)].join(' ')}`;
}
