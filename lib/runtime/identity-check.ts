import type pg from 'pg';
import type { AnyEventObject } from 'xstate';
import type { Contact } from '@/lib/db/contact-repository';
import { runRepository } from '@/lib/db/run-repository';
import { verificationRepository } from '@/lib/db/verification-repository';
import { nodeIdOfState } from '@/lib/flow/machine-events';
import { queueSystemText } from './effects/system-text';
import { OTP_LIFETIME_MS } from './effects/start-verification';
import { createAnswerHasher } from './identity-hash';
import type { StepLoop } from './step-loop';

/** A text that may answer a run's identity check, as its inbound job read it. */
export interface IdentityReply {
  runId: string;
  contact: Contact;
  providerId: string;
  body: string;
  at: Date;
}

/**
 * A reply while the run waits in an identity check: compared with the
 * answer on record. True when the reply was the check's (then it never
 * reaches the flow as an ordinary reply).
 */
export async function checkIdentityReply(
  tx: pg.PoolClient,
  deps: { appSecret: string; steps: StepLoop },
  reply: IdentityReply,
): Promise<boolean> {
  const { runId, contact, providerId, body, at } = reply;
  const run = await runRepository(tx).lockRun(runId);
  const verifications = verificationRepository(tx);
  const v = await verifications.lockPending(runId);
  if (!run || !v || nodeIdOfState(run.snapshot.value) !== v.nodeId) return false;
  const event = (e: AnyEventObject) => deps.steps.deliverNow(tx, runId, e, providerId, 'inbound_sms');
  if (v.expiresAt && at.getTime() > v.expiresAt.getTime()) {
    // A code answered late proves nothing, right or wrong: the check fails with why.
    await verifications.markFailed(v.id);
    await event({
      type: 'identity.failed',
      nodeId: v.nodeId,
      reason: `the one-time code expired (a code lasts ${OTP_LIFETIME_MS / 60_000} minutes)`,
    });
    return true;
  }
  if (createAnswerHasher(deps.appSecret)(runId, v.method, body) === v.answerHash) {
    await verifications.markVerified(v.id);
    await event({ type: 'identity.verified', nodeId: v.nodeId });
    return true;
  }
  const left = v.attemptsLeft - 1;
  if (left <= 0) {
    await verifications.markFailed(v.id, 0);
    await event({ type: 'identity.failed', nodeId: v.nodeId, reason: 'too many wrong answers' });
    return true;
  }
  await verifications.setAttemptsLeft(v.id, left);
  await queueSystemText(
    tx,
    contact.id,
    `That doesn't match our records. Please try again (${left} attempt${left === 1 ? '' : 's'} left).`,
    `${providerId}:retry`,
  );
  return true;
}
