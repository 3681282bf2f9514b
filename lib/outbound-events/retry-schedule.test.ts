import { describe, expect, it } from 'vitest';
import { RETRY_WINDOW_MS, nextAttemptAt, retryDelayMs, retryTimeline } from './retry-schedule';

const start = new Date('2026-03-01T12:00:00Z');

describe('the retry schedule', () => {
  it('backs off exponentially from 5 s, at most 12 h apart', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(retryDelayMs)).toEqual([
      5_000, 20_000, 80_000, 320_000, 1_280_000, 5_120_000, 20_480_000, 43_200_000, 43_200_000,
    ]);
  });

  it('keeps trying for 3 days after the first try, the last try on that mark, then gives up', () => {
    const tries = retryTimeline(start);
    expect(tries.length).toBe(14);
    expect(tries.at(-1)!.getTime() - start.getTime()).toBe(RETRY_WINDOW_MS);
    for (let i = 1; i < tries.length; i++) expect(tries[i]!.getTime()).toBeGreaterThan(tries[i - 1]!.getTime());
    expect(nextAttemptAt(start, 14, tries.at(-1)!)).toBeNull();
  });

  it('counts from the now it is given, never the machine clock', () => {
    const later = new Date(start.getTime() + 60_000);
    expect(nextAttemptAt(start, 1, later)).toEqual(new Date(later.getTime() + 5_000));
    expect(nextAttemptAt(start, 8, new Date(start.getTime() + RETRY_WINDOW_MS - 1_000))).toEqual(
      new Date(start.getTime() + RETRY_WINDOW_MS),
    );
  });
});
