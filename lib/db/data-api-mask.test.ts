import fc from 'fast-check';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { maskPhone } from '@/lib/runs/mask-phone';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

/** The Data API's mask (supabase/migrations/20261207120000_data_api.sql) of each number, in one query. */
async function sqlMasks(numbers: string[]): Promise<string[]> {
  const { rows } = await db().pool.query<{ masked: string }>(
    'select optline_data_api_private.mask_phone(n) as masked from unnest($1::text[]) with ordinality as t(n, i) order by i',
    [numbers],
  );
  return rows.map((r) => r.masked);
}

describe('the Data API masks a phone number as the console does', () => {
  it('for an example mobile number of every country libphonenumber-js knows', async () => {
    const numbers = getCountries()
      .map((c) => getExampleNumber(c, examples)?.number)
      .filter((n): n is NonNullable<typeof n> => n !== undefined)
      .map(String);
    expect(numbers.length).toBeGreaterThan(200);
    expect(await sqlMasks(numbers)).toEqual(numbers.map(maskPhone));
  });

  it('for any number a contact can have (valid, as libphonenumber-js writes it: create-contact.ts, csv-import.ts)', async () => {
    // An example number of a country with its last digits replaced, kept when still valid and already in E.164 form.
    const countries = getCountries().filter((c) => getExampleNumber(c, examples));
    const candidate = fc
      .tuple(fc.constantFrom(...countries), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }))
      .map(([country, digits]) => {
        const example = String(getExampleNumber(country, examples)!.number);
        return example.slice(0, -digits.length) + digits.join('');
      });
    const numbers = fc.sample(candidate, { numRuns: 3000, seed: 22 }).filter((n) => {
      const parsed = parsePhoneNumberFromString(n);
      return parsed?.isValid() === true && parsed.number === n;
    });
    expect(numbers.length).toBeGreaterThan(1000);
    expect(await sqlMasks(numbers)).toEqual(numbers.map(maskPhone));
  });
});
