import { randomBytes } from 'node:crypto';
import type { FieldCipher } from '@/lib/crypto/field-cipher';

/**
 * An endpoint's signing secret, Standard Webhooks style: `whsec_` and 32
 * random bytes in base64. Shown once (on creation and rotation), stored
 * only encrypted, bound to the endpoint's id.
 */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const context = (endpointId: string) => `webhook_endpoints.secret:${endpointId}`;

/** The secret encrypted for its endpoint's row. */
export function sealSecret(cipher: FieldCipher, endpointId: string, secret: string): Buffer {
  return cipher.encrypt(secret, context(endpointId));
}

/** The secret of an endpoint's row. */
export function openSecret(cipher: FieldCipher, endpointId: string, ciphertext: Uint8Array): string {
  return cipher.decrypt(ciphertext, context(endpointId));
}
