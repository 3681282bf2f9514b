/**
 * When a failed delivery is tried again: exponential backoff, 5 s after the
 * first try and four times longer after each, at most 12 h apart, until 3
 * days after the first try (the last try falls on that mark). Pure: the
 * caller gives `now`.
 */

const SECOND = 1000;
const HOUR = 3_600_000;

/** The first wait, the factor and the cap. */
export const RETRY_BASE_MS = 5 * SECOND;
export const RETRY_FACTOR = 4;
export const RETRY_CAP_MS = 12 * HOUR;
/** How long after its first try a delivery is still tried. */
export const RETRY_WINDOW_MS = 72 * HOUR;

/** The wait after the `attempts`-th failed try (1-based). */
export function retryDelayMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(RETRY_BASE_MS * RETRY_FACTOR ** (n - 1), RETRY_CAP_MS);
}

/**
 * The instant of the next try after the `attempts`-th failed one at `now`,
 * for a delivery first tried at `firstAttemptAt`; null when the 3 days are
 * over (the delivery has failed for good).
 */
export function nextAttemptAt(firstAttemptAt: Date, attempts: number, now: Date): Date | null {
  const deadline = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return null;
  return new Date(Math.min(now.getTime() + retryDelayMs(attempts), deadline));
}

/** The whole schedule from a first try at `start` that always fails at once: every try's instant. */
export function retryTimeline(start: Date): Date[] {
  const tries = [start];
  let now = start;
  for (let attempts = 1; ; attempts++) {
    const next = nextAttemptAt(start, attempts, now);
    if (!next) return tries;
    tries.push(next);
    now = next;
  }
}
