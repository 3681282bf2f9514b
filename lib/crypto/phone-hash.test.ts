import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createPhoneHasher, isE164 } from './phone-hash';

const SECRET = 'a-test-secret-that-is-long-enough-1234567890';

describe('createPhoneHasher', () => {
  it('is stable: the same number and secret always give the same hash', () => {
    const a = createPhoneHasher(SECRET)('+12125550100');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(createPhoneHasher(SECRET)('+12125550100')).toBe(a);
  });

  it('is keyed: another secret gives another hash, and it is not the plain SHA-256', () => {
    const a = createPhoneHasher(SECRET)('+12125550100');
    expect(createPhoneHasher(`${SECRET}!`)('+12125550100')).not.toBe(a);
    expect(a).not.toBe(createHash('sha256').update('+12125550100').digest('hex'));
  });

  it('gives different numbers different hashes', () => {
    const hash = createPhoneHasher(SECRET);
    expect(hash('+12125550100')).not.toBe(hash('+12125550101'));
  });

  it('refuses a number that is not E.164', () => {
    const hash = createPhoneHasher(SECRET);
    for (const bad of ['2125550100', '+1 212 555 0100', '+0123456789', '']) expect(() => hash(bad)).toThrow('not an E.164');
    expect(isE164('+447911123456')).toBe(true);
  });
});
