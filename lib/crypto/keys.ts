import { hkdfSync } from 'node:crypto';

/**
 * What a derived key is for. The purpose is HKDF's `info`, so each use gets an
 * independent key from the one APP_SECRET; a new purpose or a new version of
 * one gets a new name, never a reused one.
 */
export type KeyPurpose =
  'field-encryption-v1' | 'phone-hash-v1' | 'identity-answer-v1' | 'auth-sessions-v1' | 'data-api-jwt-v1' | 'data-api-login-v1';

// A fixed salt is fine here: APP_SECRET is already high-entropy (RFC 5869, § 3.1).
const SALT = 'optline';

/** A 32-byte key for one purpose, derived from APP_SECRET with HKDF-SHA256. */
export function deriveKey(appSecret: string, purpose: KeyPurpose): Buffer {
  if (appSecret.length === 0) throw new Error('APP_SECRET is empty');
  return Buffer.from(hkdfSync('sha256', appSecret, SALT, `optline/${purpose}`, 32));
}
