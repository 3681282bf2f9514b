/**
 * The per-account limit on password attempts: every attempt on an email
 * counts as a failure until one succeeds, whatever address it comes from.
 * The first few in a window are free; after that, one try per `lockSeconds`.
 *
 * Trade-off: a stranger who knows an email can hold that account to one try
 * per `lockSeconds` for as long as they keep trying, never lock it for longer;
 * in exchange a guesser gets at most `free` tries and then two a minute per
 * account, on top of the per-address limit. The second factor's own checks
 * (TOTP, backup codes) are limited per address only, so a stranger's tries
 * here never block someone already past their password.
 */

export const ACCOUNT_LIMIT = { windowSeconds: 15 * 60, free: 5, lockSeconds: 30 } as const;

/** Attempts on one email since its last success. */
export interface AttemptRecord {
  failures: number;
  firstFailureAt: Date;
  lastFailureAt: Date;
}

export type AttemptDecision = { admitted: true; record: AttemptRecord } | { admitted: false; retryAfterSeconds: number };

/** Whether a password attempt on an email may go ahead at `now`, and the record counting it. */
export function admitAttempt(record: AttemptRecord | null, now: Date, limit: typeof ACCOUNT_LIMIT = ACCOUNT_LIMIT): AttemptDecision {
  const t = now.getTime();
  if (!record || t - record.firstFailureAt.getTime() >= limit.windowSeconds * 1000) {
    return { admitted: true, record: { failures: 1, firstFailureAt: now, lastFailureAt: now } };
  }
  const lockedUntil = record.lastFailureAt.getTime() + limit.lockSeconds * 1000;
  if (record.failures >= limit.free && t < lockedUntil) {
    return { admitted: false, retryAfterSeconds: Math.ceil((lockedUntil - t) / 1000) };
  }
  return { admitted: true, record: { failures: record.failures + 1, firstFailureAt: record.firstFailureAt, lastFailureAt: now } };
}
