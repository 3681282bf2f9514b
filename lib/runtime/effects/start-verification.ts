import { randomInt } from 'node:crypto';
import type { EffectContext } from '@/lib/db/effect-context';
import { withTransaction } from '@/lib/db/queryable';
import { verificationRepository } from '@/lib/db/verification-repository';
import type { StartVerificationParams } from '@/lib/flow/machine-events';
import { createAnswerHasher } from '@/lib/runtime/identity-hash';
import type { EffectJob } from '@/lib/runtime/tasks';
import { issueOf, type EffectDeps } from './effect-deps';
import { sendText } from './send-text';

/** How long a one-time code verifies after it was issued. */
export const OTP_LIFETIME_MS = 10 * 60_000;

/**
 * Texts the check's question and records the answer on record (a fresh
 * one-time code, or the contact's ZIP or date of birth) only as its keyed
 * hash; a contact with nothing on record to compare fails the check.
 */
export async function startVerification(
  deps: EffectDeps,
  job: EffectJob,
  target: EffectContext,
  p: StartVerificationParams,
): Promise<void> {
  const { pool, appSecret, clock, steps } = deps;
  const { run, contact } = target;
  const expected =
    p.method === 'otp' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : p.method === 'zip' ? contact.zip : contact.dateOfBirth;
  const failed = (reason: string) => ({ type: 'identity.failed', nodeId: p.nodeId, reason });
  if (!expected) {
    const reason = `nothing on record to compare with: the contact has no ${p.method === 'zip' ? 'ZIP code' : 'date of birth'}`;
    await steps.deliver(run.id, failed(reason), `${job.effect.id}:failed`);
    return;
  }
  const answerHash = createAnswerHasher(appSecret)(run.id, p.method, expected);
  await sendText(
    deps,
    job,
    target,
    { nodeId: p.nodeId, kind: 'verify', purpose: 'informational', body: p.body, outsideHours: 'defer' },
    {
      sent: null,
      failed,
      storedScope: { verify: { code: '••••••' } },
      prepare: async () => {
        await withTransaction(pool, (tx) =>
          verificationRepository(tx).issue({
            runId: run.id,
            nodeId: p.nodeId,
            effectId: issueOf(job),
            method: p.method,
            answerHash,
            attempts: p.maxAttempts,
            expiresAt: p.method === 'otp' ? new Date(clock().getTime() + OTP_LIFETIME_MS) : null,
          }),
        );
        return p.method === 'otp' ? { verify: { code: expected } } : {};
      },
    },
  );
}
