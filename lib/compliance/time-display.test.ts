import { describe, expect, it } from 'vitest';
import { formatClock, formatForContact, formatInstant, zoneAbbreviation } from './time-display';

// Fixed instants; every zone is named, so nothing depends on the machine's zone.
const WINTER = new Date('2026-12-07T20:05:00Z'); // 14:05 in Chicago (CST)
const SUMMER = new Date('2026-07-07T19:05:00Z'); // 14:05 in Chicago (CDT)
const HELD = new Date('2026-12-07T14:00:00Z'); // 08:00 CST, 09:00 EST

describe('formatInstant', () => {
  it('writes the date and the time with the zone abbreviation of that instant', () => {
    expect(formatInstant(WINTER, 'America/Chicago')).toBe('Dec 7, 2026, 14:05 CST');
    expect(formatInstant(SUMMER, 'America/Chicago')).toBe('Jul 7, 2026, 14:05 CDT');
    expect(formatInstant(WINTER, 'America/New_York')).toBe('Dec 7, 2026, 15:05 EST');
    expect(formatInstant(WINTER, 'Pacific/Honolulu')).toBe('Dec 7, 2026, 10:05 HST');
  });

  it('says UTC, never a bare GMT, for UTC and for zones English has no abbreviation for', () => {
    expect(formatInstant(WINTER, 'UTC')).toBe('Dec 7, 2026, 20:05 UTC');
    expect(formatInstant(WINTER, 'Etc/UTC')).toBe('Dec 7, 2026, 20:05 UTC');
    expect(formatInstant(WINTER, 'Europe/London')).toBe('Dec 7, 2026, 20:05 UTC');
    expect(formatInstant(WINTER, 'Europe/Berlin')).toBe('Dec 7, 2026, 21:05 UTC+1');
    expect(formatInstant(WINTER, 'Asia/Kolkata')).toBe('Dec 8, 2026, 01:35 UTC+5:30');
    expect(zoneAbbreviation(SUMMER, 'Europe/London')).toBe('UTC+1');
  });

  it('uses the 24-hour clock, midnight as 00', () => {
    expect(formatInstant(new Date('2026-12-08T06:00:00Z'), 'America/Chicago')).toBe('Dec 8, 2026, 00:00 CST');
  });
});

describe('formatClock', () => {
  it('writes the time of day with its zone', () => {
    expect(formatClock(WINTER, 'America/Chicago')).toBe('14:05 CST');
    expect(formatClock(WINTER, 'America/Denver')).toBe('13:05 MST');
    expect(formatClock(WINTER, 'America/Phoenix')).toBe('13:05 MST');
  });
});

describe('formatForContact', () => {
  it("gives the contact's local time, then the viewer's", () => {
    expect(formatForContact(HELD, ['America/Chicago'], 'America/New_York')).toBe('Dec 7, 2026, 08:00 CST (09:00 your time)');
  });

  it("adds the viewer's date when it is another day there", () => {
    expect(formatForContact(new Date('2026-12-08T03:30:00Z'), ['America/Los_Angeles'], 'Asia/Tokyo')).toBe(
      'Dec 7, 2026, 19:30 PST (Dec 8, 2026, 12:30 your time)',
    );
  });

  it("adds nothing when the viewer's reading is the contact's", () => {
    expect(formatForContact(HELD, ['America/Chicago'], 'America/Chicago')).toBe('Dec 7, 2026, 08:00 CST');
  });

  it('gives both readings of a contact who may be in two zones', () => {
    expect(formatForContact(HELD, ['America/Chicago', 'America/New_York'], 'America/Denver')).toBe(
      'Dec 7, 2026, 08:00 CST / 09:00 EST (07:00 your time)',
    );
  });

  it("gives only the viewer's time when the contact's zone is not known", () => {
    expect(formatForContact(HELD, [], 'America/New_York')).toBe('Dec 7, 2026, 09:00 EST');
    const allUs = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
    expect(formatForContact(HELD, allUs, 'America/New_York')).toBe('Dec 7, 2026, 09:00 EST');
  });

  it('gives the second reading in UTC when the viewer zone is not known (server rendering)', () => {
    expect(formatForContact(HELD, ['America/Chicago'], null)).toBe('Dec 7, 2026, 08:00 CST (14:00 UTC)');
  });
});
