import { requirePermission, type Actor } from '@/lib/access/roles';
import { env } from '@/lib/env';
import { processClock, processSandboxClock } from '@/lib/runtime/sandbox-clock';

/** The app's time for a page: real time, or the sandbox clock's when it is on (the time the routes and the worker decide by). */
export function appNow(): Date {
  return processClock(env())();
}

/** The sandbox clock as the sandbox page shows it, for an actor who may read: off, or its time and whether one is set. */
export function sandboxClockState(actor: Actor | null): { enabled: false } | { enabled: true; now: string; isSet: boolean } {
  requirePermission(actor, 'read');
  const clock = processSandboxClock(env());
  if (!clock) return { enabled: false };
  const { now, isSet } = clock.read();
  return { enabled: true, now: now.toISOString(), isSet };
}
