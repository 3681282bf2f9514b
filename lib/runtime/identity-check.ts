import type pg from 'pg';
import type { AnyEventObject } from 'xstate';
import type { Contact } from '@/lib/db/contact-repository';
import { runRepository } from '@/lib/db/run-repository';
import { verificationRepository } from '@/lib/db/verification-repository';
import { nodeIdOfState } from '@/lib/flow/machine-events';
import { queueSystemText } from './effects/system-text';
import { createAnswerHasher } from './identity-hash';
import { checkAnswer } from './interpret/replies';
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
  const matches = createAnswerHasher(deps.appSecret)(runId, v.method, body) === v.answerHash;
  const outcome = checkAnswer({ nodeId: v.nodeId, attemptsLeft: v.attemptsLeft, expiresAt: v.expiresAt ?? undefined }, matches, at);
  if ('retry' in outcome) {
    await verifications.setAttemptsLeft(v.id, outcome.retry.attemptsLeft);
    await queueSystemText(tx, contact.id, outcome.retry.text, `${providerId}:retry`, runId);
    return true;
  }
  if (outcome.event.type === 'identity.verified') await verifications.markVerified(v.id);
  else await verifications.markFailed(v.id, outcome.attemptsLeft);
  await event(outcome.event);
  return true;
}
