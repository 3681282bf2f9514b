import { createHmac } from 'node:crypto';
import { deriveKey } from './keys';

const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether a string is an E.164 number (`+` then 7 to 15 digits, no leading zero). */
export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/**
 * A keyed hash of an E.164 number (HMAC-SHA256, hex), to find a contact from an
 * inbound number. Keyed, because the space of phone numbers is small enough
 * that a plain hash is reversed by enumeration.
 */
export type PhoneHasher = (phoneE164: string) => string;

/** A PhoneHasher keyed from APP_SECRET; throws on a number that is not E.164. */
export function createPhoneHasher(appSecret: string): PhoneHasher {
  const key = deriveKey(appSecret, 'phone-hash-v1');
  return (phoneE164) => {
    if (!isE164(phoneE164)) throw new Error(`"${phoneE164}" is not an E.164 phone number like +12125550100`);
    return createHmac('sha256', key).update(phoneE164, 'utf8').digest('hex');
  };
}
