import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL_DAY,
  MAX_INTERVALS,
  NO_TIME,
  canSpanDstChange,
  contains,
  elapse,
  formatTimeSet,
  intersect,
  isSubset,
  minus,
  shift,
  timeWindow,
  union,
  widen,
  type TimeSet,
} from './time-set';

const h = (hours: number, minutes = 0) => hours * 60 + minutes;

describe('time sets', () => {
  it('stores a window that wraps midnight as two pieces', () => {
    expect(timeWindow(h(22), h(6))).toEqual([
      { from: 0, to: h(6) },
      { from: h(22), to: 1440 },
    ]);
    expect(formatTimeSet(timeWindow(h(22), h(6)))).toBe('00:00–06:00, 22:00–24:00');
  });

  it('treats a window from a time to the same time as the whole day', () => {
    expect(timeWindow(h(9), h(9))).toBe(ALL_DAY);
  });

  it('merges overlapping and touching pieces in a union', () => {
    expect(union(timeWindow(h(8), h(10)), timeWindow(h(10), h(12)))).toEqual([{ from: h(8), to: h(12) }]);
    expect(union(timeWindow(h(8), h(9)), timeWindow(h(11), h(12)))).toEqual([
      { from: h(8), to: h(9) },
      { from: h(11), to: h(12) },
    ]);
    expect(union(timeWindow(h(23), h(1)), timeWindow(h(1), h(23)))).toBe(ALL_DAY);
  });

  it('intersects pieces across midnight', () => {
    expect(intersect(timeWindow(h(20), h(2)), timeWindow(h(8), h(21)))).toEqual([{ from: h(20), to: h(21) }]);
    expect(intersect(timeWindow(h(1), h(2)), timeWindow(h(8), h(21)))).toEqual(NO_TIME);
  });

  it('shifts around the 24-hour circle', () => {
    expect(shift(timeWindow(h(22), h(23)), h(2))).toEqual([{ from: 0, to: h(1) }]);
    expect(shift(timeWindow(h(23), h(23, 30)), 45)).toEqual([
      { from: 0, to: 15 },
      { from: h(23, 45), to: 1440 },
    ]);
  });

  it('rounds a fractional shift outward', () => {
    expect(shift(timeWindow(h(10), h(11)), 0.5)).toEqual([{ from: h(10), to: h(11) + 1 }]);
  });

  it('widens each piece on both sides and becomes the whole day when it covers it', () => {
    expect(widen(timeWindow(h(10), h(11)), 60)).toEqual([{ from: h(9), to: h(12) }]);
    expect(widen(timeWindow(h(0), h(23)), 60)).toBe(ALL_DAY);
  });

  it('answers subset and membership questions', () => {
    const window = timeWindow(h(8), h(21));
    expect(isSubset(timeWindow(h(10), h(10, 15)), window)).toBe(true);
    expect(isSubset(timeWindow(h(20, 50), h(21, 5)), window)).toBe(false);
    expect(isSubset(NO_TIME, window)).toBe(true);
    expect(contains(window, h(21))).toBe(false);
    expect(contains(window, h(8))).toBe(true);
    expect(minus(timeWindow(h(7), h(9)), window)).toEqual([{ from: h(7), to: h(8) }]);
  });

  it('never keeps more than the maximum number of pieces, and only adds times when merging', () => {
    const pieces = Array.from({ length: 12 }, (_, i) => timeWindow(i * 100, i * 100 + 10));
    const set = pieces.reduce(union, NO_TIME);
    expect(set.length).toBe(MAX_INTERVALS);
    for (const p of pieces) expect(isSubset(p, set)).toBe(true);
  });
});

describe('elapsed time across daylight-saving changes', () => {
  it('widens a 30-minute wait from 01:45 by an hour either way', () => {
    expect(canSpanDstChange(h(1, 45), h(1, 46), 30)).toBe(true);
    expect(elapse(timeWindow(h(1, 45), h(1, 46)), 30)).toEqual([{ from: h(1, 15), to: h(3, 16) }]);
  });

  it('does not widen a 30-minute wait from 10:00', () => {
    expect(elapse(timeWindow(h(10), h(10, 15)), 30)).toEqual([{ from: h(10, 30), to: h(10, 45) }]);
  });

  it('widens a wait of a day or more, whenever it starts', () => {
    expect(elapse(timeWindow(h(10), h(10, 15)), 24 * 60)).toEqual([{ from: h(9), to: h(11, 15) }]);
    expect(elapse(timeWindow(h(10), h(10, 15)), 3 * 24 * 60)).toEqual([{ from: h(9), to: h(11, 15) }]);
  });

  it('widens a wait that starts before midnight and runs past 02:00', () => {
    expect(elapse(timeWindow(h(23), h(23, 30)), h(4))).toEqual([{ from: h(2), to: h(4, 30) }]);
  });

  it('does not widen a wait that ends before 01:00', () => {
    expect(elapse(timeWindow(h(22), h(22, 30)), h(2))).toEqual([{ from: 0, to: 30 }]);
  });

  it('always contains the true local time after an elapsed wait in a zone with US daylight-saving rules', () => {
    // Brute force against the IANA database: every start minute on the 2026 change days and a normal day.
    const zone = 'America/New_York';
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    const local = (t: number) => {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
      return Number(parts.hour) * 60 + Number(parts.minute);
    };
    fc.assert(
      fc.property(
        fc.constantFrom(
          '2026-03-07T05:00:00Z',
          '2026-03-08T05:00:00Z',
          '2026-10-31T04:00:00Z',
          '2026-11-01T04:00:00Z',
          '2026-06-01T04:00:00Z',
        ),
        fc.integer({ min: 0, max: 36 * 60 }),
        fc.constantFrom(5, 30, 45, 90, 120, 180, 600, 1440, 2880),
        (day, offset, wait) => {
          const start = Date.parse(day) + offset * 60_000;
          const from = local(start);
          const set: TimeSet = timeWindow(from, from + 1);
          expect(contains(elapse(set, wait), local(start + wait * 60_000))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
