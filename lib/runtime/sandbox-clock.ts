import type { Env } from '@/lib/env';
import { processValue } from '@/lib/process-once';

/** What the sandbox clock reads: the app's time, the offset from real time, and whether one is set. */
export interface SandboxClockReading {
  now: Date;
  offsetMs: number;
  isSet: boolean;
}

/**
 * Real time plus an offset that can be set and reset: the sandbox's virtual
 * clock. It runs on in real time from the moment it is set (the worker's
 * timers and the pages' polling still see time pass). Setting it changes
 * what is decided from then on; a job already queued (a held text's timer)
 * keeps its real-time delay.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly real: () => Date = () => new Date()) {}

  /** The app's time: real time plus the offset. */
  readonly now = (): Date => new Date(this.real().getTime() + this.offsetMs);

  /** The time, the offset and whether one is set. */
  read(): SandboxClockReading {
    return { now: this.now(), offsetMs: this.offsetMs, isSet: this.offsetMs !== 0 };
  }

  /** From now on the clock reads `at`, and runs on from there. */
  set(at: Date): SandboxClockReading {
    this.offsetMs = at.getTime() - this.real().getTime();
    return this.read();
  }

  /** Back to real time. */
  reset(): SandboxClockReading {
    this.offsetMs = 0;
    return this.read();
  }
}

/**
 * The process's sandbox clock when OPTLINE_SANDBOX_CLOCK is on (only with the
 * sandbox providers, lib/env.ts), else undefined. One per process, on
 * globalThis (lib/process-once.ts): the routes (Next.js's copy of our modules)
 * and the worker server.ts starts (the app server's copy) read the same
 * offset. It lives in this process's memory only: a worker in another
 * process would not see it, which is why the environment refuses it with
 * OPTLINE_WORKER=off, and a restart is back to real time.
 */
export function processSandboxClock(env: Env): SandboxClock | undefined {
  return env.sandboxClock ? processValue('sandbox-clock', () => new SandboxClock()) : undefined;
}

/** The app process's one clock: the sandbox clock when it is on, else real time. */
export function processClock(env: Env): () => Date {
  return processSandboxClock(env)?.now ?? (() => new Date());
}
