import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: far above the 128 the payment-link rule asks for (issue 5, "Payments"). */
export const PAYMENT_TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** A new bearer token for a payment link: 32 random bytes, base64url (43 characters). Store only its hash. */
export function newPaymentToken(): string {
  return randomBytes(PAYMENT_TOKEN_BYTES).toString('base64url');
}

/** The SHA-256 of a payment token, hex: what the database stores and looks tokens up by. */
export function hashPaymentToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether a string has the shape of a payment token (checked before any look-up). */
export function isPaymentToken(value: string): boolean {
  return TOKEN_FORMAT.test(value);
}
