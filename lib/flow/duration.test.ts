import { describe, expect, it } from 'vitest';
import { describeDuration, parseDuration } from './duration';
import { formatTimeOfDay, parseTimeOfDay } from './time-of-day';

describe('durations', () => {
  it.each([
    ['PT30M', 30 * 60_000],
    ['PT2H', 2 * 3_600_000],
    ['P3D', 3 * 86_400_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT90S', 90_000],
  ])('reads %s as elapsed milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['P', 'PT', 'P1M', 'P1Y', '2 days', 'pt30m', 'P1.5D', 'PT-1H', ''])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('describes durations in words', () => {
    expect(describeDuration('PT30M')).toBe('30 minutes');
    expect(describeDuration('P1D')).toBe('1 day');
    expect(describeDuration('PT36H')).toBe('36 hours');
    expect(describeDuration('P2W')).toBe('2 weeks');
  });
});

describe('times of day', () => {
  it('reads and writes HH:MM', () => {
    expect(parseTimeOfDay('08:00')).toBe(480);
    expect(parseTimeOfDay('23:59')).toBe(1439);
    expect(parseTimeOfDay('24:00')).toBeNull();
    expect(parseTimeOfDay('8:00')).toBeNull();
    expect(formatTimeOfDay(1500)).toBe('01:00');
    expect(formatTimeOfDay(-60)).toBe('23:00');
  });
});
