import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOptinDisclosures, describeMissingDisclosures, findCardDataRequests, isLuhnValid } from './content-rules';

const brand = 'Acme Dental';

describe('checkOptinDisclosures', () => {
  const full =
    'Acme Dental offers: reply YES to get deals. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.';

  it('accepts a marketing opt-in with all five disclosures', () => {
    expect(checkOptinDisclosures({ body: full, purpose: 'marketing', mode: 'explicit', brand })).toEqual({ missing: [] });
  });

  it('accepts the common variants of each disclosure', () => {
    const body =
      'ACME DENTAL: Text YES to join. Up to 4 msgs/month. Message and data rates may apply. Text HELP for info. Text STOP to cancel.';
    expect(checkOptinDisclosures({ body, purpose: 'marketing', mode: 'explicit', brand })).toEqual({ missing: [] });
  });

  it('lists every missing disclosure of a bare marketing opt-in', () => {
    expect(checkOptinDisclosures({ body: 'Want deals? Reply YES!', purpose: 'marketing', mode: 'explicit', brand })).toEqual({
      missing: ['brand', 'stop', 'help', 'frequency', 'rates'],
    });
  });

  it('asks only for the brand and the opt-out of an informational notice', () => {
    const notice = 'Acme Dental: you can now pay your bill by text. Reply STOP if you would like to decline.';
    expect(checkOptinDisclosures({ body: notice, purpose: 'informational', mode: 'notice', brand })).toEqual({ missing: [] });
    expect(checkOptinDisclosures({ body: 'You can now pay your bill by text.', purpose: 'informational', mode: 'notice', brand })).toEqual({
      missing: ['brand', 'stop'],
    });
  });

  it('does not take a mention of stopping for an opt-out instruction', () => {
    expect(
      checkOptinDisclosures({ body: 'Acme Dental: stop by our new office!', purpose: 'informational', mode: 'notice', brand }).missing,
    ).toEqual(['stop']);
  });

  it('describes what is missing in one sentence', () => {
    expect(describeMissingDisclosures(['frequency', 'rates'], { brand, purpose: 'marketing', mode: 'explicit' })).toBe(
      'This marketing opt-in message must say how often messages come (e.g. "Msg frequency varies") and say "Msg & data rates may apply".',
    );
    expect(describeMissingDisclosures(['brand', 'stop'], { brand, purpose: 'informational', mode: 'notice' })).toBe(
      'This opt-in notice must name the sender ("Acme Dental") and say how to opt out (e.g. "Reply STOP to opt out").',
    );
  });
});

describe('findCardDataRequests', () => {
  it.each([
    ['Reply with your card number to pay', 'card-number'],
    ['Please send your credit card and we will charge it', 'card-number'],
    ['Text us the expiration date', 'expiry'],
    ['What is the CVV on the back?', 'cvv'],
    ['Reply with the 3-digit security code', 'cvv'],
    ['Enter your PIN to continue', 'pin'],
    ['Reply with your bank account number', 'bank-account'],
    ['Send your routing number', 'bank-account'],
    ['Reply with the last 4 of your SSN', 'ssn'],
    ['Confirm your social security number', 'ssn'],
    ['Envía el número de tarjeta', 'card-number'],
  ])('flags %j as %s', (body, kind) => {
    expect(findCardDataRequests(body).map((f) => f.kind)).toContain(kind);
  });

  it('flags a Luhn-valid card number, with spaces or dashes', () => {
    expect(findCardDataRequests('Card on file: 4242 4242 4242 4242').map((f) => f.kind)).toEqual(['luhn-number']);
    expect(findCardDataRequests('4111-1111-1111-1111')[0]!.match).toBe('4111-1111-1111-1111');
  });

  it.each([
    'Pay your bill securely here: {{payment.link}}',
    'Your appointment is at 3pm on 03/11/2026.',
    'Reply with your ZIP code',
    'Your account ending in 4242 is due on the 5th.',
    'Call us at (212) 555-0100 or 1-800-555-0199.',
    'Your balance is $1,234.56.',
    'Order 1234567890123 has shipped.',
    'Payment received. Your receipt: {{payment.receipt_url}}',
    'We will never ask for card details by text.',
  ])('does not flag ordinary payment text %j', (body) => {
    expect(findCardDataRequests(body)).toEqual([]);
  });
});

describe('isLuhnValid', () => {
  it('agrees with a reference implementation on random digit strings', () => {
    const reference = (s: string) =>
      [...s]
        .reverse()
        .map(Number)
        .reduce((sum, d, i) => sum + (i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0) %
        10 ===
      0;
    fc.assert(fc.property(fc.stringMatching(/^\d{1,19}$/), (s) => isLuhnValid(s) === reference(s)));
  });
});
