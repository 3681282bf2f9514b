import { describe, expect, it } from 'vitest';
import { isInsideWindow, nextWindowOpening } from './wait-window';

const at = (iso: string) => new Date(iso);

describe('wait.window openings', () => {
  it('continues at once inside the window', () => {
    const now = at('2026-03-10T14:00:00Z'); // 10:00 in New York
    expect(nextWindowOpening(now, ['America/New_York'], { from: '09:00', to: '17:00' })).toEqual(now);
  });

  it("waits for the next opening in the contact's zone", () => {
    expect(nextWindowOpening(at('2026-03-10T23:00:00Z'), ['America/New_York'], { from: '09:00', to: '17:00' })?.toISOString()).toBe(
      '2026-03-11T13:00:00.000Z',
    );
  });

  it('waits until the window is open in every possible zone', () => {
    // 850 area code: Eastern and Central. 09:00 Central is 10:00 Eastern.
    expect(
      nextWindowOpening(at('2026-03-10T12:00:00Z'), ['America/New_York', 'America/Chicago'], { from: '09:00', to: '17:00' })?.toISOString(),
    ).toBe('2026-03-10T14:00:00.000Z');
  });

  it('opens on the wall clock across the spring-forward change', () => {
    // 2026-03-08 New York springs forward at 02:00: 09:00 is already EDT (-04:00).
    expect(nextWindowOpening(at('2026-03-08T05:00:00Z'), ['America/New_York'], { from: '09:00', to: '17:00' })?.toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
  });

  it('keeps to the listed days', () => {
    // 2026-03-13 is a Friday; the next Monday is 2026-03-16.
    expect(
      nextWindowOpening(at('2026-03-13T22:00:00Z'), ['America/New_York'], {
        from: '09:00',
        to: '17:00',
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      })?.toISOString(),
    ).toBe('2026-03-16T13:00:00.000Z');
  });

  it('handles a window that wraps past midnight', () => {
    const night = { from: '22:00', to: '02:00', days: ['fri'] };
    expect(isInsideWindow(at('2026-03-14T05:30:00Z'), 'America/New_York', night)).toBe(true); // Sat 01:30, opened Fri
    expect(isInsideWindow(at('2026-03-15T05:30:00Z'), 'America/New_York', night)).toBe(false); // Sun 01:30, opened Sat
  });
});
