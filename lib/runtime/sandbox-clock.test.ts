import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { processClock, processSandboxClock, SandboxClock } from './sandbox-clock';

describe('SandboxClock', () => {
  it('reads real time until set, then the time set, running on in real time, and real time again once reset', () => {
    let real = Date.parse('2026-12-07T10:00:00Z');
    const clock = new SandboxClock(() => new Date(real));
    expect(clock.read()).toEqual({ now: new Date('2026-12-07T10:00:00Z'), offsetMs: 0, isSet: false });

    // Tuesday 9 March 2027, 20:30 in New York (EST, before daylight saving time).
    const set = clock.set(new Date('2027-03-10T01:30:00Z'));
    expect(set).toEqual({ now: new Date('2027-03-10T01:30:00Z'), offsetMs: Date.parse('2027-03-10T01:30:00Z') - real, isSet: true });
    real += 90_000;
    expect(clock.now()).toEqual(new Date('2027-03-10T01:31:30Z'));

    expect(clock.reset()).toEqual({ now: new Date(real), offsetMs: 0, isSet: false });
  });
});

describe('processClock', () => {
  it('is real time, with no sandbox clock, unless OPTLINE_SANDBOX_CLOCK is on', () => {
    const env = parseEnv({});
    expect(processSandboxClock(env)).toBeUndefined();
    const before = Date.now();
    const now = processClock(env)().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('with OPTLINE_SANDBOX_CLOCK on, is the one sandbox clock of the process, whoever asks', () => {
    const env = parseEnv({ OPTLINE_SANDBOX_CLOCK: 'on' });
    const clock = processSandboxClock(env)!;
    expect(processSandboxClock(parseEnv({ OPTLINE_SANDBOX_CLOCK: 'on', NODE_ENV: 'test' }))).toBe(clock);
    try {
      clock.set(new Date('2027-03-10T01:30:00Z'));
      // What the routes' services and the worker each read: the same offset.
      const a = processClock(env)();
      expect(Math.abs(a.getTime() - Date.parse('2027-03-10T01:30:00Z'))).toBeLessThan(5_000);
    } finally {
      clock.reset();
    }
  });
});
