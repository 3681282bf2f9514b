import { describe, expect, it } from 'vitest';
import { validateContactsCsv } from './csv-import';

const NOW = new Date('2026-03-10T15:00:00Z');
const TEXT = 'Acme Dental: I agree to receive marketing texts. Msg & data rates may apply. Reply STOP to opt out.';

const errorsOf = (csv: string) => {
  const r = validateContactsCsv(csv, NOW);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('validateContactsCsv', () => {
  it('reads tags (separated by ;) and attr.<key> columns as custom attributes', () => {
    const r = validateContactsCsv(
      ['phone,tags,attr.amount_due,attr.due_on', '2125550142, VIP ; spring;vip,42.50,2026-03-20', '2125550143,,,'].join('\n'),
      NOW,
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { row: 2, phone: '+12125550142', tags: ['vip', 'spring'], attributes: { amount_due: '42.50', due_on: '2026-03-20' } },
        { row: 3, phone: '+12125550143' },
      ],
    });
    expect(errorsOf('phone,attr.Amount-Due,tags\n2125550142,1,ok')).toEqual([
      expect.objectContaining({ row: 1, column: 'attr.Amount-Due' }),
    ]);
    expect(errorsOf('phone,tags\n2125550142,"bad!tag"')).toEqual([expect.objectContaining({ row: 2, column: 'tags' })]);
  });

  it('reads every column, normalising the phone to E.164 and the header case-insensitively', () => {
    const csv = [
      '\ufeffPhone,NAME,first_name,zip,Zone,state,dob,consent_purpose,consent_text,consent_at,consent_channel,consent_ref',
      `(212) 555-0142,"Lee, Sam",Sam,10001,America/New_York,ny,1980-04-12,marketing,"${TEXT}",2026-03-01T12:00:00-05:00,WEB,form-77`,
      '+1 312 555 0100,,,,,,,,,,,',
    ].join('\r\n');
    const r = validateContactsCsv(csv, NOW);
    expect(r).toEqual({
      ok: true,
      rows: [
        {
          row: 2,
          phone: '+12125550142',
          name: 'Lee, Sam',
          firstName: 'Sam',
          zip: '10001',
          zone: 'America/New_York',
          state: 'NY',
          dateOfBirth: '1980-04-12',
          consent: {
            purpose: 'marketing',
            textShown: TEXT,
            occurredAt: new Date('2026-03-01T17:00:00Z'),
            channel: 'web',
            reference: 'form-77',
          },
        },
        { row: 3, phone: '+13125550100' },
      ],
    });
  });

  it('accepts an informational grant without the text shown', () => {
    const r = validateContactsCsv(
      'phone,consent_purpose,consent_at,consent_channel\n2125550142,informational,2026-03-01T12:00:00Z,paper\n',
      NOW,
    );
    expect(r.ok && r.rows[0]!.consent).toEqual({
      purpose: 'informational',
      occurredAt: new Date('2026-03-01T12:00:00Z'),
      channel: 'paper',
    });
  });

  it('names the row, the column and the problem for a bad phone, a bad zone, a bad state, a bad date and a bad ZIP', () => {
    const csv = 'phone,zone,state,dob,zip\n555-0142,America/Chicago,IL,,\n2125550142,Mars/Olympus,ZZ,1980-02-30,123\n2125550143,EST,,,\n';
    expect(errorsOf(csv)).toEqual([
      { row: 2, column: 'phone', message: '"555-0142" is not a valid phone number (a US number like (212) 555-0142, or +country code)' },
      { row: 3, column: 'zip', message: '"123" is not a US ZIP code like 60601 or 60601-1234' },
      { row: 3, column: 'zone', message: '"Mars/Olympus" is not an IANA time zone like America/Chicago' },
      { row: 3, column: 'state', message: '"ZZ" is not a two-letter US state code like IL' },
      { row: 3, column: 'dob', message: '"1980-02-30" is not a date of birth like 1980-04-12 (YYYY-MM-DD)' },
      { row: 4, column: 'zone', message: '"EST" is not an IANA time zone like America/Chicago' },
    ]);
  });

  it('refuses a marketing grant without the exact text shown', () => {
    expect(errorsOf('phone,consent_purpose,consent_at,consent_channel\n2125550142,marketing,2026-03-01T12:00:00Z,web\n')).toEqual([
      { row: 2, column: 'consent_text', message: 'a marketing consent needs the exact text the person agreed to' },
    ]);
  });

  it('checks the consent evidence: purpose, time with offset, not in the future, channel', () => {
    const csv = [
      'phone,consent_purpose,consent_text,consent_at,consent_channel',
      '2125550142,promo,x,2026-03-01T12:00:00Z,web',
      '2125550143,informational,,2026-03-01 12:00,web',
      '2125550144,informational,,2026-03-11T12:00:00Z,fax',
      '2125550145,,hello,,',
    ].join('\n');
    expect(errorsOf(csv)).toEqual([
      { row: 2, column: 'consent_purpose', message: '"promo" is not a purpose: write informational or marketing' },
      {
        row: 3,
        column: 'consent_at',
        message: '"2026-03-01 12:00" is not a time with its offset like 2026-03-10T15:00:00-05:00 or 2026-03-10T20:00:00Z',
      },
      { row: 4, column: 'consent_at', message: '2026-03-11T12:00:00Z is in the future' },
      { row: 4, column: 'consent_channel', message: '"fax" is not a channel: write sms, web, voice, paper, email, api' },
      {
        row: 5,
        column: 'consent_purpose',
        message: 'the row gives consent evidence (consent_text) but no consent_purpose: say informational or marketing',
      },
    ]);
  });

  it('refuses a number that appears twice, naming the first row', () => {
    expect(errorsOf('phone,name\n2125550142,Ana\n+1 (212) 555-0142,Bo\n')).toEqual([
      { row: 3, column: 'phone', message: '+12125550142 is also on row 2; each number may appear once in a file' },
    ]);
  });

  it('names unknown columns, a repeated column and a missing phone column in the header', () => {
    expect(errorsOf('Name,email,name,Favourite Color\nAna,a@x.test,Ana,blue\n')).toEqual([
      { row: 1, column: 'name', message: 'the column "name" appears twice in the header' },
      {
        row: 1,
        column: 'email',
        message: expect.stringContaining('"email" is not a column Optline imports; the columns are phone, name,'),
      },
      { row: 1, column: 'Favourite Color', message: expect.stringContaining('"Favourite Color" is not a column') },
      { row: 1, column: 'phone', message: 'the header has no "phone" column; every contact needs a phone number' },
    ]);
  });

  it('refuses rows with the wrong number of values and skips blank lines while keeping their row numbers', () => {
    expect(errorsOf('phone,name\n\n2125550142\n2125550143,Bo,extra\n2125550144,"quoted\nname"\n2125550145\n')).toEqual([
      { row: 3, column: null, message: 'the row has 1 values but the header names 2 columns' },
      { row: 4, column: null, message: 'the row has 3 values but the header names 2 columns' },
      { row: 6, column: null, message: 'the row has 1 values but the header names 2 columns' },
    ]);
  });

  it('reports malformed CSV, an empty file and a header without rows', () => {
    expect(errorsOf('phone\n"2125550142\n')).toEqual([
      { row: 2, column: null, message: 'a quoted field is never closed: a double quote is missing' },
    ]);
    expect(errorsOf('')).toEqual([{ row: 1, column: null, message: expect.stringContaining('the file is empty') }]);
    expect(errorsOf('phone\r\n\r\n')).toEqual([{ row: 2, column: null, message: 'the file has a header but no contacts below it' }]);
  });

  it('keeps the consent text word for word but trims every other cell', () => {
    const r = validateContactsCsv(
      `phone,name,consent_purpose,consent_text,consent_at,consent_channel\n 2125550142 ,  Ana  ,marketing,"  ${TEXT} ",2026-03-01T12:00:00Z,sms\n`,
      NOW,
    );
    expect(r.ok && r.rows[0]).toMatchObject({ phone: '+12125550142', name: 'Ana', consent: { textShown: `  ${TEXT} ` } });
  });
});
