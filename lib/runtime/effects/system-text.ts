import { contactRepository } from '@/lib/db/contact-repository';
import { addJob } from '@/lib/db/job-queue';
import { messageRepository } from '@/lib/db/message-repository';
import type { Queryable } from '@/lib/db/queryable';
import { TASKS, type SystemTextJob } from '@/lib/runtime/tasks';
import type { EffectDeps } from './effect-deps';
import { refusedReason, sendAgainLater } from './send-retries';

/**
 * A keyword reply (STOP/HELP/START confirmation, a clarifying question; on
 * the run's record when `runId` names one): queued in the caller's
 * transaction, sent by a worker, so the webhook answers at once and a failed
 * send is retried — at most once per reply (the effect id is the claim).
 */
export async function queueSystemText(db: Queryable, contactId: string, body: string, effectId: string, runId?: string): Promise<void> {
  await addJob(db, TASKS.systemText, { contactId, body, effectId, ...(runId ? { runId } : {}) } satisfies SystemTextJob, { key: effectId });
}

/** Sends a queued keyword reply, once: a contact erased since gets nothing. */
export async function sendSystemText(deps: EffectDeps, job: SystemTextJob): Promise<void> {
  const { pool, clock, messaging } = deps;
  const contact = await contactRepository(pool, deps.keys).getContact(job.contactId);
  if (!contact?.phone) return; // erased since
  const messages = messageRepository(pool);
  const claimed = await messages.claimSend({
    effectId: job.effectId,
    contactId: contact.id,
    runId: job.runId ?? null,
    purpose: 'informational',
    body: job.body,
    provider: deps.provider,
    at: clock(),
  });
  if (!claimed) return; // sent (or being sent) by an earlier attempt: never twice
  try {
    const sent = await messaging.send({ to: contact.phone, body: job.body, effectId: job.effectId });
    await messages.markSent(job.effectId, sent.providerId, clock());
  } catch (err) {
    if (await sendAgainLater(pool, err, job.effectId, TASKS.systemText, job)) return;
    await messages.markFailed(job.effectId, refusedReason(err, job.retries ?? 0));
  }
}
