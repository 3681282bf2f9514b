import type pg from 'pg';
import { addJob } from '@/lib/db/job-queue';
import { messageRepository } from '@/lib/db/message-repository';
import { withTransaction } from '@/lib/db/queryable';
import { ProviderError } from '@/lib/providers/errors';
import type { EffectJob, SystemTextJob } from '@/lib/runtime/tasks';

/** How often a send the provider refused without taking it is tried again (`sendAgainLater`). */
const SEND_RETRIES = 5;

/** The provider refused the send and provably did not take the text (rate limited, unreachable before the request went): it may be tried again. */
function refusedUnsent(err: unknown): err is ProviderError {
  return err instanceof ProviderError && err.retryable && !err.outcomeUnknown;
}

/** Why a send failed, saying so when the provider refused it on every try. */
export function refusedReason(err: unknown, retries: number): string {
  const message = err instanceof Error ? err.message : String(err);
  return retries > 0 && refusedUnsent(err) ? `${message} (refused ${retries + 1} times; not sent)` : message;
}

/**
 * A send the provider refused without taking the text (`refusedUnsent`)
 * is given back and tried again later by a copy of its job (`task`,
 * `job`), 1, 2, 4, 8 and 16 s later: the same effect, so at most once
 * still holds, and the send-time guard decides afresh at that moment (a
 * STOP meanwhile blocks it). True when it was put off; false when it is
 * not for retrying or its retries are spent.
 */
export async function sendAgainLater(
  pool: pg.Pool,
  err: unknown,
  effectId: string,
  task: string,
  job: EffectJob | SystemTextJob,
): Promise<boolean> {
  const retries = job.retries ?? 0;
  if (!refusedUnsent(err) || retries >= SEND_RETRIES) return false;
  const next = retries + 1;
  await withTransaction(pool, async (tx) => {
    await messageRepository(tx).markPending(effectId, `${err.message}; trying again (${next} of ${SEND_RETRIES})`);
    await addJob(tx, task, { ...job, retries: next }, { key: `${effectId}:retry:${next}`, delayMs: 1000 * 2 ** retries });
  });
  return true;
}
