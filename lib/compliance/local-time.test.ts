import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTimeParts } from './local-time';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Phoenix', 'America/Los_Angeles', 'Pacific/Honolulu', 'Asia/Kolkata', 'UTC'];

/** The wall clock read straight from Intl, for each instant on its own (no reading kept). */
function wallClock(at: Date, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { year: +parts.year!, month: +parts.month!, day: +parts.day!, hour: +parts.hour!, minute: +parts.minute! };
}

describe('localTimeParts (kept by zone and UTC minute)', () => {
  it('reads every instant as Intl does on its own, seconds and milliseconds included, across DST changes', () => {
    // 2026–2027, whose spring-forward and fall-back instants fall on whole minutes; instants near them are drawn often.
    const transitions = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2027-03-14T07:00:00Z', '2026-03-08T10:00:00Z'].map(Date.parse);
    const instant = fc.oneof(
      fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T23:59:59Z') }),
      fc.tuple(fc.constantFrom(...transitions), fc.integer({ min: -120_000, max: 120_000 })).map(([t, d]) => t + d),
    );
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const at = new Date(ms);
        const read = localTimeParts(at, zone);
        expect({ year: read.year, month: read.month, day: read.day, hour: read.hour, minute: read.minute }).toEqual(wallClock(at, zone));
        expect(read.minutes).toBe(read.hour * 60 + read.minute);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives each caller its own reading', () => {
    const at = new Date('2026-07-04T16:30:15Z');
    const first = localTimeParts(at, 'America/Chicago');
    first.hour = 99;
    expect(localTimeParts(at, 'America/Chicago')).toMatchObject({ hour: 11, minute: 30, offset: -300 });
  });
});
