import { describe, expect, it } from 'vitest';
import { createFieldCipher, DecryptionError } from './field-cipher';

const SECRET = 'a-test-secret-that-is-long-enough-1234567890';

describe('createFieldCipher', () => {
  const cipher = createFieldCipher(SECRET);

  it('round-trips text, including non-ASCII and the empty string', () => {
    for (const text of ['10001', 'Zoë Ångström 🎉', '', '{"a":1}']) {
      expect(cipher.decrypt(cipher.encrypt(text, 'contacts.zip_enc:1'), 'contacts.zip_enc:1')).toBe(text);
    }
  });

  it('writes version 1 with a fresh nonce each time, so equal values do not look equal', () => {
    const a = cipher.encrypt('10001', 'ctx');
    const b = cipher.encrypt('10001', 'ctx');
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 12 + 16 + 5);
    expect(a.equals(b)).toBe(false);
  });

  it('detects a flipped bit anywhere in the ciphertext', () => {
    const sealed = cipher.encrypt('1990-04-01', 'ctx');
    for (let i = 1; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i]! ^= 0x01;
      expect(() => cipher.decrypt(tampered, 'ctx')).toThrow(DecryptionError);
    }
  });

  it('refuses a ciphertext moved to another context (row or column)', () => {
    const sealed = cipher.encrypt('10001', 'contacts.zip_enc:alice');
    expect(() => cipher.decrypt(sealed, 'contacts.zip_enc:mallory')).toThrow(DecryptionError);
    expect(() => cipher.decrypt(sealed, 'contacts.dob_enc:alice')).toThrow(DecryptionError);
  });

  it('refuses a ciphertext made with another APP_SECRET', () => {
    const other = createFieldCipher(`${SECRET}-rotated`);
    expect(() => other.decrypt(cipher.encrypt('x', 'ctx'), 'ctx')).toThrow(DecryptionError);
  });

  it('refuses an unknown version and a truncated ciphertext', () => {
    const sealed = cipher.encrypt('x', 'ctx');
    const v2 = Buffer.from(sealed);
    v2[0] = 2;
    expect(() => cipher.decrypt(v2, 'ctx')).toThrow('unknown ciphertext version 2');
    expect(() => cipher.decrypt(sealed.subarray(0, 20), 'ctx')).toThrow('too short');
  });
});
