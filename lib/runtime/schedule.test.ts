import { describe, expect, it } from 'vitest';
import { nextScheduledDate, scheduledStart } from './schedule';

describe('scheduledStart', () => {
  it("is the trigger time on the wall clock of the contact's zone, through daylight-saving changes", () => {
    // Chicago: CDT (UTC−5) from 8 March 2026, CST (UTC−6) from 1 November 2026.
    expect(scheduledStart({ at: '10:00' }, '2026-03-11', ['America/Chicago'])).toEqual(new Date('2026-03-11T15:00:00Z'));
    expect(scheduledStart({ at: '10:00' }, '2026-03-07', ['America/Chicago'])).toEqual(new Date('2026-03-07T16:00:00Z'));
    expect(scheduledStart({ at: '10:00' }, '2026-11-01', ['America/Chicago'])).toEqual(new Date('2026-11-01T16:00:00Z'));
    expect(scheduledStart({ at: '09:30' }, '2026-06-01', ['America/Phoenix'])).toEqual(new Date('2026-06-01T16:30:00Z'));
  });

  it('waits until it is that time everywhere the contact may be', () => {
    expect(scheduledStart({ at: '10:00' }, '2026-03-11', ['America/New_York', 'America/Los_Angeles'])).toEqual(
      new Date('2026-03-11T17:00:00Z'),
    );
  });

  it('says why a date does not fit', () => {
    expect(scheduledStart({ at: '10:00', days: ['mon', 'tue'] }, '2026-03-11', ['America/Chicago'])).toBe(
      'the flow starts only on mon, tue, and 2026-03-11 is a wed',
    );
    expect(scheduledStart({ at: '10:00' }, '2026-02-30', ['America/Chicago'])).toBe('"2026-02-30" is not a real date');
    expect(scheduledStart({ at: '10:00' }, 'tomorrow', ['America/Chicago'])).toBe('"tomorrow" is not a date like 2026-03-11');
  });
});

describe('nextScheduledDate', () => {
  const now = new Date('2026-03-10T16:30:00Z'); // Tuesday 11:30 in Chicago
  it('is today while the time is ahead, else the next allowed day', () => {
    expect(nextScheduledDate({ at: '14:00' }, now, ['America/Chicago'])).toBe('2026-03-10');
    expect(nextScheduledDate({ at: '10:00' }, now, ['America/Chicago'])).toBe('2026-03-11');
    expect(nextScheduledDate({ at: '10:00', days: ['mon'] }, now, ['America/Chicago'])).toBe('2026-03-16');
  });
});
