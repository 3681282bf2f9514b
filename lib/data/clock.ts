import { env } from '@/lib/env';
import { processClock } from '@/lib/runtime/sandbox-clock';

/** The app's time for a page: real time, or the sandbox clock's when it is on (the time the routes and the worker decide by). */
export function appNow(): Date {
  return processClock(env())();
}
