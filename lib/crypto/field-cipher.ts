import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey } from './keys';

/**
 * Field encryption at rest: AES-256-GCM, key from APP_SECRET by HKDF.
 *
 * Ciphertext (bytea): `version (1 byte) | nonce (12) | tag (16) | ciphertext`.
 * Version 1 = AES-256-GCM with the `field-encryption-v1` key. The version
 * byte lets a later key or algorithm coexist with rows written under this
 * one. The caller's `context` (table, column and row id) is authenticated
 * data: a ciphertext copied to another row or column fails to decrypt, so a
 * known ZIP cannot be pasted onto someone else's contact.
 */

const VERSION_1 = 0x01;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

/** A ciphertext that is not ours, was altered, or belongs to another context or key. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export interface FieldCipher {
  /** Encrypts UTF-8 text bound to `context` (e.g. `contacts.zip:<id>`). */
  encrypt(plaintext: string, context: string): Buffer;
  /** Decrypts what `encrypt` returned for the same context; throws DecryptionError otherwise. */
  decrypt(ciphertext: Uint8Array, context: string): string;
}

/** A FieldCipher keyed from APP_SECRET. */
export function createFieldCipher(appSecret: string): FieldCipher {
  const key = deriveKey(appSecret, 'field-encryption-v1');
  const aad = (version: number, context: string) => Buffer.concat([Buffer.of(version), Buffer.from(context, 'utf8')]);
  return {
    encrypt(plaintext, context) {
      // 96-bit random nonces: safe for far more than 2^32 encryptions under one key (NIST SP 800-38D, § 8.3).
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(VERSION_1, context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION_1), nonce, cipher.getAuthTag(), body]);
    },
    decrypt(ciphertext, context) {
      const data = Buffer.from(ciphertext);
      if (data.length < HEADER_BYTES) throw new DecryptionError('ciphertext is too short');
      const version = data[0];
      if (version !== VERSION_1) throw new DecryptionError(`unknown ciphertext version ${version}`);
      const nonce = data.subarray(1, 1 + NONCE_BYTES);
      const tag = data.subarray(1 + NONCE_BYTES, HEADER_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(version, context));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptionError('ciphertext was altered, or was written for another context or key');
      }
    },
  };
}
