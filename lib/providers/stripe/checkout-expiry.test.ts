import { describe, expect, it } from 'vitest';
import { ProviderError } from '@/lib/providers/errors';
import { checkoutExpiresAt } from './checkout-expiry';

const now = new Date('2026-03-03T14:00:00Z');
const at = (iso: string) => Date.parse(iso) / 1000;
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('checkoutExpiresAt', () => {
  it('keeps a link expiry that is inside Stripe’s window', () => {
    expect(checkoutExpiresAt(hours(2), now, now)).toBe(at('2026-03-03T16:00:00Z'));
  });

  it('caps a 72-hour link at 23 h 55 min after issue', () => {
    expect(checkoutExpiresAt(hours(72), now, now)).toBe(at('2026-03-04T13:55:00Z'));
  });

  it('raises a link shorter than 35 minutes to 35 minutes', () => {
    expect(checkoutExpiresAt(hours(0.25), now, now)).toBe(at('2026-03-03T14:35:00Z'));
  });

  it('sends the same value on a retry two hours later, anchored at the effect’s issue time', () => {
    const retryAt = hours(2);
    expect(checkoutExpiresAt(hours(72), now, retryAt)).toBe(checkoutExpiresAt(hours(72), now, now));
  });

  it('re-anchors at the clock only when the anchored value would leave less than 35 minutes', () => {
    const lateRetry = new Date('2026-03-04T13:30:00Z');
    expect(checkoutExpiresAt(hours(72), now, lateRetry)).toBe(at('2026-03-05T13:25:00Z'));
  });

  it('refuses a link that has already expired', () => {
    expect(() => checkoutExpiresAt(hours(-1), now, now)).toThrow(ProviderError);
    expect(() => checkoutExpiresAt(now, now, now)).toThrow(
      'stripe: payment link expired at 2026-03-03T14:00:00.000Z, before its page was created',
    );
  });
});
