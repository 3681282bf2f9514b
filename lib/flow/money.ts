/**
 * Amounts in a currency's minor unit, as both Stripe and Optline store them
 * (integers: cents for USD, yen for JPY). Pure: no I/O.
 */

// Stripe's zero-decimal currencies: the amount is in the major unit (https://docs.stripe.com/currencies#zero-decimal).
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
// Three-decimal currencies (https://docs.stripe.com/currencies#three-decimal).
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
// Sent with two decimals but charged in whole units only (https://docs.stripe.com/currencies#special-cases).
const WHOLE_UNITS_ONLY = new Set(['isk']);

/** Digits after the decimal point in the currency's API amount (0, 2 or 3). */
export function minorUnitDigits(currency: string): number {
  const c = normalizeCurrency(currency);
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

/**
 * An amount in major units ("19.99", 19.99, 1500 for JPY) as an integer in
 * minor units (1999, 1500). Exact: parsed as decimal text, never through
 * float multiplication. Throws RangeError for more decimals than the currency
 * has, negative amounts or non-numbers.
 */
export function toMinorUnits(amount: number | string, currency: string): number {
  const c = normalizeCurrency(currency);
  const digits = minorUnitDigits(c);
  const text = typeof amount === 'number' ? numberToPlainText(amount) : amount.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`amount "${String(amount)}" is not a non-negative decimal number`);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    throw new RangeError(`amount ${text} has more than ${digits} decimal${digits === 1 ? '' : 's'}, the most ${c.toUpperCase()} allows`);
  }
  if (WHOLE_UNITS_ONLY.has(c) && fraction.length > 0) {
    throw new RangeError(`amount ${text}: ${c.toUpperCase()} is charged in whole units only`);
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${text} is too large`);
  return minor;
}

/** An amount in minor units as major-unit decimal text: (1999, 'usd') → "19.99", (1500, 'jpy') → "1500". */
export function fromMinorUnits(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amount ${amountMinor} is not an integer number of minor units`);
  const digits = minorUnitDigits(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const text = Math.abs(amountMinor)
    .toString()
    .padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * An amount in minor units formatted for people: (1999, 'usd', 'en-US') → "$19.99".
 * Exact for every safe integer: the decimal text goes to Intl as it is, never
 * through a float (a float of 90071992547409.91 reads .90 to the cent).
 */
export function formatMinorUnits(amountMinor: number, currency: string, locale = 'en-US'): string {
  const c = normalizeCurrency(currency);
  const digits = minorUnitDigits(c);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: c.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl.NumberFormat v3 (ES2023) formats a decimal string exactly; TypeScript's lib types only numbers.
  return format.format(fromMinorUnits(amountMinor, c) as unknown as number);
}

/** What a payment request may charge: its minor units, or why not (a sentence naming the amount). */
export type ChargeAmount = { ok: true; amountMinor: number } | { ok: false; reason: string };

/**
 * The amount a payment request charges, from its rendered text: a positive
 * amount of the currency, at most `maxMajor` major units (the cap a literal
 * amount is held to, so a `{{var}}` amount is held to it too).
 */
export function chargeAmount(amountText: string, currency: string, maxMajor: number): ChargeAmount {
  const c = normalizeCurrency(currency);
  let amountMinor: number;
  try {
    amountMinor = toMinorUnits(amountText, c);
  } catch {
    return { ok: false, reason: `the amount "${amountText}" is not an amount of ${c.toUpperCase()}` };
  }
  if (amountMinor <= 0) return { ok: false, reason: `the amount "${amountText}" is not an amount of ${c.toUpperCase()}` };
  if (amountMinor > toMinorUnits(maxMajor, c)) {
    return {
      ok: false,
      reason: `the amount "${amountText}" is over ${formatMinorUnits(toMinorUnits(maxMajor, c), c)}, the most one payment request charges`,
    };
  }
  return { ok: true, amountMinor };
}

function normalizeCurrency(currency: string): string {
  const c = currency.trim().toLowerCase();
  if (!/^[a-z]{3}$/.test(c)) throw new RangeError(`currency "${currency}" is not a three-letter ISO 4217 code`);
  return c;
}

function numberToPlainText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Shortest round-trip text; large or tiny numbers come out in exponent form and are refused by the caller.
  return n.toString();
}
