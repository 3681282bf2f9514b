import { z } from 'zod';
import type pg from 'pg';
import type { Authenticate } from '@/lib/access/roles';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import { endpoints, errorAnswer, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { processSandboxClock, type SandboxClock, type SandboxClockReading } from '@/lib/runtime/sandbox-clock';
import { resetSandboxClock, sandboxClockBody, sandboxClockOff, setSandboxClock } from '@/lib/settings';
import { services } from '@/lib/runtime/services';

/** The sandbox clock as the API answers it. */
export const sandboxClockResponse = z.object({
  clock: z.object({
    /** The app's time: what quiet hours, holds and expiries are decided by. */
    now: z.string(),
    /** How far the app's time is from real time, in milliseconds. */
    offsetMs: z.number().int(),
    /** Whether a time is set (false: real time). */
    isSet: z.boolean(),
  }),
});

const clockOff = errorAnswer('The sandbox clock is not on: OPTLINE_SANDBOX_CLOCK=on, with the sandbox providers only.');

/** Where the sandbox clock's routes find the process's clock and database. */
export interface SandboxClockDeps {
  authenticate: Authenticate;
  /** The database the changes are audited in, and the clock (undefined when it is off). */
  sandbox: () => Promise<{ pool: pg.Pool; clock: SandboxClock | undefined }>;
}

/** The process's: its services' pool, and its sandbox clock while both providers are the sandbox's (the environment refuses it otherwise). */
const processSandbox = async () => {
  const s = await services();
  const sandboxOnly = s.providers.sandbox.messaging !== undefined && s.providers.sandbox.payments !== undefined;
  return { pool: s.pool, clock: sandboxOnly ? processSandboxClock(s.env) : undefined };
};

const view = (r: SandboxClockReading) =>
  sandboxClockResponse.parse({ clock: { now: r.now.toISOString(), offsetMs: r.offsetMs, isSet: r.isSet } });

/** GET, PUT and DELETE /api/sandbox/clock: read, set and reset the sandbox's virtual clock. */
export function sandboxClockHandlers(deps: SandboxClockDeps = { authenticate: processAuthenticate, sandbox: processSandbox }) {
  const endpoint = endpoints({ authenticate: deps.authenticate });
  const clockOn = async () => {
    const { pool, clock } = await deps.sandbox();
    if (!clock) throw sandboxClockOff();
    return { pool, clock };
  };

  return {
    /** GET: the app's time and the offset from real time. */
    get: endpoint(
      {
        access: 'read',
        doc: {
          id: 'getSandboxClock',
          summary: 'Sandbox: read the clock',
          description: "The app's time (real time plus the offset set), which the routes and the worker decide by.",
          responses: { 200: jsonResponse('The clock.', sandboxClockResponse), 404: clockOff },
        },
      },
      async () => json(view((await clockOn()).clock.read())),
    ),

    /** PUT `{ at, zone? }`: the app's time is `at` from now on, and runs on from there; audited. */
    set: endpoint(
      {
        access: 'settings.edit',
        body: jsonBody(sandboxClockBody),
        doc: {
          id: 'setSandboxClock',
          summary: 'Sandbox: set the clock',
          description:
            'From now on the app reads `at` (an instant with its offset, or a wall-clock time with its `zone`) and runs on from there: quiet hours, holds and expiries are decided by it. Timers already queued keep their delays. Audited.',
          example: { at: '2027-03-09T20:30', zone: 'America/New_York' },
          responses: { 200: jsonResponse('The clock.', sandboxClockResponse), 404: clockOff },
        },
      },
      async ({ actor, body: at }) => {
        const { pool, clock } = await clockOn();
        return json(view(await setSandboxClock(pool, clock, actor, at)));
      },
    ),

    /** DELETE: back to real time; audited. */
    reset: endpoint(
      {
        access: 'settings.edit',
        doc: {
          id: 'resetSandboxClock',
          summary: 'Sandbox: reset the clock',
          description: 'Back to real time. Audited.',
          responses: { 200: jsonResponse('The clock.', sandboxClockResponse), 404: clockOff },
        },
      },
      async ({ actor }) => {
        const { pool, clock } = await clockOn();
        return json(view(await resetSandboxClock(pool, clock, actor)));
      },
    ),
  };
}

export const handlers = sandboxClockHandlers();
