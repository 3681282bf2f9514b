import { areaCodeInfo, areaCodeOf, zipInfo } from './zones';
import type { ContactLocation } from './types';

/**
 * States whose area codes carry a presumption of residency: a number with
 * one of their area codes is treated as a resident's (Fla. Stat. § 501.059;
 * Okla. Stat. tit. 15 § 775C; Conn. Gen. Stat. § 42-288a; Va. Code § 59.1-510).
 */
const RESIDENCY_PRESUMPTION = new Set(['FL', 'OK', 'CT', 'VA']);

/** US states and territories a contact's state may name. */
const US_STATES = new Set([
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
  'PR',
  'VI',
  'GU',
  'AS',
  'MP',
]);

/** Whether a two-letter code names a US state or territory. */
export function isUsState(code: string): boolean {
  return US_STATES.has(code.toUpperCase());
}

/**
 * The US states whose rules apply (COMPLIANCE.md, "Which state"): the state
 * given on the contact, else the ZIP code's, else the area code's; plus the
 * area code's state when it presumes residency and differs. Empty when
 * unknown: then the strictest rule of every state applies.
 */
export function resolveStates(contact: ContactLocation): string[] {
  const given = contact.state && isUsState(contact.state) ? contact.state.toUpperCase() : undefined;
  const zipState = zipInfo(contact.zip)?.state;
  const areaCode = areaCodeOf(contact.phone);
  const phoneState = areaCode ? areaCodeInfo(areaCode)?.state : undefined;
  const primary = given ?? zipState ?? phoneState;
  const states = new Set<string>(primary ? [primary] : []);
  if (phoneState && phoneState !== primary && RESIDENCY_PRESUMPTION.has(phoneState)) states.add(phoneState);
  return [...states].sort();
}
