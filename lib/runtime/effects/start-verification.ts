import { randomInt } from 'node:crypto';
import type { EffectContext } from '@/lib/db/effect-context';
import { withTransaction } from '@/lib/db/queryable';
import { verificationRepository } from '@/lib/db/verification-repository';
import type { StartVerificationParams } from '@/lib/flow/machine-events';
import { verificationPlan } from '@/lib/runtime/interpret/effect-plan';
import { OTP_LIFETIME_MS } from '@/lib/runtime/interpret/replies';
import { createAnswerHasher } from '@/lib/runtime/identity-hash';
import type { EffectJob } from '@/lib/runtime/tasks';
import { issueOf, type EffectDeps } from './effect-deps';
import { sendText } from './send-text';

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
  const plan = verificationPlan(p, { zip: contact.zip, dob: contact.dateOfBirth });
  if (plan.do === 'answer') {
    await steps.deliver(run.id, plan.event, `${job.effect.id}:failed`);
    return;
  }
  const expected = plan.expected ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
  const answerHash = createAnswerHasher(appSecret)(run.id, p.method, expected);
  await sendText(deps, job, target, plan.text, {
    storedScope: { verify: { code: '••••••' } },
    prepare: async () => {
      await withTransaction(pool, (tx) =>
        verificationRepository(tx).issue({
          runId: run.id,
          nodeId: p.nodeId,
          effectId: issueOf(job),
          method: p.method,
          answerHash,
          attempts: plan.maxAttempts,
          expiresAt: p.method === 'otp' ? new Date(clock().getTime() + OTP_LIFETIME_MS) : null,
        }),
      );
      return p.method === 'otp' ? { verify: { code: expected } } : {};
    },
  });
}
