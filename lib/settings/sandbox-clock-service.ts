import { z } from 'zod';
import { actorRef, type Actor } from '@/lib/access/roles';
import { AppError } from '@/lib/app-error';
import { isKnownZone, zonedInstant } from '@/lib/compliance/local-time';
import { recordAudit } from '@/lib/db/audit-repository';
import type { Queryable } from '@/lib/db/queryable';
import type { SandboxClock, SandboxClockReading } from '@/lib/runtime/sandbox-clock';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The body of PUT /api/sandbox/clock: `at`, an instant with its offset
 * (`2027-03-10T01:30:00Z`), or a wall-clock time (`2027-03-09T20:30`) with
 * the `zone` it is read in.
 */
export const sandboxClockBody = z
  .strictObject({
    at: z.string({ error: 'give the time, like 2027-03-09T20:30 with a zone, or 2027-03-10T01:30:00Z' }).max(40),
    zone: z.string().max(64).optional(),
  })
  .transform((b, ctx): Date => {
    const m = INSTANT.exec(b.at);
    const [, year, month, day, hour, minute, second, offset] = m ?? [];
    const invalid = (path: 'at' | 'zone', message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      return z.NEVER;
    };
    const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (
      !m ||
      calendarDay.getUTCMonth() !== Number(month) - 1 ||
      calendarDay.getUTCDate() !== Number(day) ||
      Number(hour) > 23 ||
      Number(minute) > 59
    )
      return invalid('at', `"${b.at}" is not a time like 2027-03-09T20:30 (with a zone) or 2027-03-10T01:30:00Z`);
    // Within this century: a typo of a year, not a rehearsal.
    if (Number(year) < 2000 || Number(year) > 2099) return invalid('at', `"${b.at}" is not between the years 2000 and 2099`);
    let at: Date;
    if (offset) {
      if (b.zone !== undefined) return invalid('zone', 'give a zone only with a time without an offset (2027-03-09T20:30)');
      at = new Date(b.at);
    } else {
      if (b.zone === undefined)
        return invalid('zone', `say which zone "${b.at}" is in (e.g. America/New_York), or give the time with its offset`);
      if (!isKnownZone(b.zone)) return invalid('zone', `"${b.zone}" is not an IANA time zone like America/New_York`);
      at = zonedInstant(b.zone, Number(year), Number(month), Number(day), Number(hour) * 60 + Number(minute));
      at = new Date(at.getTime() + Number(second ?? 0) * 1000);
    }
    if (Number.isNaN(at.getTime())) return invalid('at', `"${b.at}" is not a time like 2027-03-10T01:30:00Z`);
    return at;
  });

/** Sets the sandbox clock to `at` for everything the app decides from now on; audited (from, to) as the actor's. */
export async function setSandboxClock(db: Queryable, clock: SandboxClock, actor: Actor, at: Date): Promise<SandboxClockReading> {
  const before = clock.read();
  await recordAudit(db, {
    actor: actorRef(actor),
    action: 'sandbox.clock_set',
    subjectType: 'sandbox_clock',
    subjectId: null,
    details: { from: before.now.toISOString(), to: at.toISOString(), wasSet: before.isSet },
  });
  return clock.set(at);
}

/** Puts the sandbox clock back to real time; audited as the actor's when it was set. */
export async function resetSandboxClock(db: Queryable, clock: SandboxClock, actor: Actor): Promise<SandboxClockReading> {
  const before = clock.read();
  if (before.isSet) {
    await recordAudit(db, {
      actor: actorRef(actor),
      action: 'sandbox.clock_reset',
      subjectType: 'sandbox_clock',
      subjectId: null,
      details: { from: before.now.toISOString(), offsetMs: before.offsetMs },
    });
  }
  return clock.reset();
}

/** The 404 of a process without a sandbox clock. */
export function sandboxClockOff(): AppError {
  return new AppError(
    'not_found',
    'there is no sandbox clock: it is on only when the app starts with OPTLINE_SANDBOX_CLOCK=on and the sandbox providers (no Twilio or Stripe)',
  );
}
