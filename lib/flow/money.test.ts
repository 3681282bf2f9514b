import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_PAYMENT_AMOUNT } from '@/lib/flow/schema';
import { chargeAmount, formatMinorUnits, fromMinorUnits, minorUnitDigits, toMinorUnits } from './money';

describe('toMinorUnits', () => {
  it('turns dollars into cents exactly, including amounts that are inexact as floats', () => {
    expect(toMinorUnits(19.99, 'usd')).toBe(1999);
    expect(toMinorUnits(0.29, 'USD')).toBe(29);
    expect(toMinorUnits(0.07, 'usd')).toBe(7);
    expect(toMinorUnits('42', 'eur')).toBe(4200);
    expect(toMinorUnits('42.5', 'eur')).toBe(4250);
    expect(toMinorUnits('0.10', 'gbp')).toBe(10);
  });

  it('keeps zero-decimal currencies such as yen in whole units', () => {
    expect(toMinorUnits(1500, 'jpy')).toBe(1500);
    expect(toMinorUnits('1500.0', 'JPY')).toBe(1500);
    expect(toMinorUnits(5000, 'krw')).toBe(5000);
    expect(minorUnitDigits('ugx')).toBe(0);
  });

  it('uses three decimals for dinars', () => {
    expect(toMinorUnits('1.234', 'kwd')).toBe(1234);
    expect(toMinorUnits(2, 'bhd')).toBe(2000);
  });

  it('refuses fractions a currency does not have', () => {
    expect(() => toMinorUnits(10.5, 'jpy')).toThrow('amount 10.5 has more than 0 decimals, the most JPY allows');
    expect(() => toMinorUnits('1.999', 'usd')).toThrow('amount 1.999 has more than 2 decimals, the most USD allows');
    expect(() => toMinorUnits('100.50', 'isk')).toThrow('amount 100.50: ISK is charged in whole units only');
    expect(toMinorUnits(100, 'isk')).toBe(10000);
  });

  it('refuses negative, non-numeric and exponent amounts and bad currency codes', () => {
    expect(() => toMinorUnits(-1, 'usd')).toThrow(RangeError);
    expect(() => toMinorUnits('1,50', 'usd')).toThrow('amount "1,50" is not a non-negative decimal number');
    expect(() => toMinorUnits(1e21, 'usd')).toThrow(RangeError);
    expect(() => toMinorUnits(Number.NaN, 'usd')).toThrow(RangeError);
    // Float arithmetic noise is not silently rounded away: compute amounts in minor units.
    expect(() => toMinorUnits(1.005 + 0.005, 'usd')).toThrow('amount 1.0099999999999998 has more than 2 decimals, the most USD allows');
    expect(() => toMinorUnits(1, 'dollars')).toThrow('currency "dollars" is not a three-letter ISO 4217 code');
  });
});

describe('fromMinorUnits and formatMinorUnits', () => {
  it('writes minor units back as decimal text', () => {
    expect(fromMinorUnits(1999, 'usd')).toBe('19.99');
    expect(fromMinorUnits(5, 'usd')).toBe('0.05');
    expect(fromMinorUnits(1500, 'jpy')).toBe('1500');
    expect(fromMinorUnits(1234, 'kwd')).toBe('1.234');
    expect(fromMinorUnits(-250, 'eur')).toBe('-2.50');
  });

  it('formats for people in the currency’s own number of decimals', () => {
    expect(formatMinorUnits(1999, 'usd')).toBe('$19.99');
    expect(formatMinorUnits(1500, 'jpy')).toBe('¥1,500');
  });
});

describe('amounts a payment request charges', () => {
  const CURRENCIES = ['usd', 'jpy', 'kwd', 'eur'] as const;
  const capMinor = (c: string) => toMinorUnits(MAX_PAYMENT_AMOUNT, c);
  /** The amount as a person reads it back from the formatted text. */
  const readBack = (shown: string, c: string) => toMinorUnits(shown.replace(/[^\d.]/g, ''), c);

  it('charges exactly the minor units it shows, for every amount up to the cap', () => {
    const amounts = fc.constantFrom(...CURRENCIES).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: 1, max: capMinor(c) })));
    fc.assert(
      fc.property(amounts, ([c, minor]) => {
        const text = fromMinorUnits(minor, c);
        const charged = chargeAmount(text, c, MAX_PAYMENT_AMOUNT);
        expect(charged).toEqual({ ok: true, amountMinor: minor });
        expect(readBack(formatMinorUnits(minor, c), c)).toBe(minor);
      }),
      { numRuns: 2_000 },
    );
    expect(formatMinorUnits(capMinor('usd'), 'usd')).toBe('$1,000,000.00');
    expect(chargeAmount('1000000', 'usd', MAX_PAYMENT_AMOUNT)).toEqual({ ok: true, amountMinor: 100_000_000 });
  });

  it('shows every amount to the cent, however large', () => {
    expect(formatMinorUnits(9_007_199_254_740_991, 'usd')).toBe('$90,071,992,547,409.91');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        (minor) => readBack(formatMinorUnits(minor, 'usd'), 'usd') === minor,
      ),
    );
  });

  it('holds an amount rendered from a template to the same cap as a literal one', () => {
    expect(chargeAmount('1000000.01', 'usd', MAX_PAYMENT_AMOUNT)).toEqual({
      ok: false,
      reason: 'the amount "1000000.01" is over $1,000,000.00, the most one payment request charges',
    });
    expect(chargeAmount('90071992547409.91', 'usd', MAX_PAYMENT_AMOUNT).ok).toBe(false);
    expect(chargeAmount('1000001', 'jpy', MAX_PAYMENT_AMOUNT)).toEqual({
      ok: false,
      reason: 'the amount "1000001" is over ¥1,000,000, the most one payment request charges',
    });
    expect(chargeAmount('0', 'usd', MAX_PAYMENT_AMOUNT)).toEqual({ ok: false, reason: 'the amount "0" is not an amount of USD' });
    expect(chargeAmount('12.345', 'usd', MAX_PAYMENT_AMOUNT)).toEqual({ ok: false, reason: 'the amount "12.345" is not an amount of USD' });
  });
});
