import type { AnyEventObject } from 'xstate';
import { classifyReply } from '@/lib/compliance/classify-reply';
import { consentLevelOf } from '@/lib/compliance/types';
import type { EffectContext, GuardRows } from '@/lib/db/effect-context';
import { addJob } from '@/lib/db/job-queue';
import { messageRepository } from '@/lib/db/message-repository';
import { withTransaction } from '@/lib/db/queryable';
import { runStepRepository } from '@/lib/db/run-step-repository';
import { renderTemplate } from '@/lib/flow/templates';
import { locationOf, scopeOf } from '@/lib/runtime/contact-scope';
import { decideSend, failedEventOf, sentEventOf, type OutboundText, type SendFacts } from '@/lib/runtime/interpret/outbound';
import { TASKS, type EffectJob } from '@/lib/runtime/tasks';
import type { EffectDeps } from './effect-deps';
import { refusedReason, sendAgainLater } from './send-retries';

/** How far back the guard counts a contact's marketing sends (a daily cap). */
export const GUARD_WINDOW_MS = 24 * 3_600_000;

/** How a send other than a plain `sendSms` fills its text. */
export interface SendOptions {
  /** Extra scope for the copy of the body kept in `messages` (secrets masked). */
  storedScope?: Record<string, unknown>;
  /** Runs once this attempt owns the send: its scope fills the real body; a string fails the send with that reason. */
  prepare?: () => Promise<Record<string, unknown> | string>;
}

/**
 * The send-time guard (`decideSend`), then at most one provider call per
 * effect; the node is answered as the interpreter says (`sentEventOf`,
 * `failedEventOf`). `prepare` runs once this
 * attempt owns the send (after the claim, before the provider call) and
 * fills what the text carries (a one-time code, a payment link); the copy
 * kept in `messages` has those masked (`storedScope`).
 */
export async function sendText(
  deps: EffectDeps,
  job: EffectJob,
  target: EffectContext,
  p: OutboundText,
  opts: SendOptions = {},
): Promise<void> {
  const { pool, clock, messaging, steps } = deps;
  const { run, contact } = target;
  const runId = run.id;
  const messages = messageRepository(pool);
  const now = clock();
  const decision = decideSend(p, { now, contact: locationOf(contact), ...guardReadings(target.guard) });
  const scope = scopeOf(run.snapshot, contact);
  const stored = renderTemplate(p.body, { ...scope, ...opts.storedScope });
  const claim = {
    effectId: job.effect.id,
    contactId: contact.id,
    runId,
    purpose: p.purpose,
    body: stored,
    provider: deps.provider,
    at: now,
  };
  const answer = (event: AnyEventObject, suffix: string) => steps.deliver(runId, event, `${job.effect.id}:${suffix}`, 'delivery_status');
  const sentEvent = sentEventOf(p);
  const failedEvent = (reason: string) => failedEventOf(p, reason);
  if (decision.verdict === 'defer') {
    await withTransaction(pool, async (tx) => {
      await runStepRepository(tx).recordDeferral({
        runId,
        effectId: job.effect.id,
        until: new Date(decision.until!),
        reason: decision.reason,
        at: now,
      });
      await addJob(tx, TASKS.effect, job, {
        key: `${job.effect.id}:deferred:${decision.until}`,
        delayMs: Date.parse(decision.until!) - now.getTime(),
      });
    });
    return;
  }
  if (decision.verdict === 'block') {
    await messages.recordBlocked(claim, decision.reason);
    await answer(failedEvent(decision.reason), 'failed');
    return;
  }
  if (!(await deps.claimSend(claim))) {
    // Claimed before, by an attempt of this job whose worker died: reconcile with the provider, never resend blindly.
    const prior = await messages.claimedSend(job.effect.id);
    if (prior && prior.status !== 'sending') {
      // Finished by that attempt, which may have died before answering the run: answer again (once per key).
      if (prior.status === 'failed') await answer(failedEvent(prior.error ?? 'the text was not sent'), 'failed');
      else if (prior.status !== 'blocked' && sentEvent) await answer(sentEvent, 'sent');
      return;
    }
    const known = messaging.findByEffectId ? await messaging.findByEffectId(job.effect.id) : undefined;
    if (known) {
      await messages.markSent(job.effect.id, known.providerId, now);
      if (sentEvent) await answer(sentEvent, 'sent');
      return;
    }
    if (!messaging.findByEffectId || opts.prepare) {
      // The provider cannot say (Twilio has no look-up by our id), or what the text carried is gone: fail it.
      await messages.markFailed(job.effect.id, 'delivery unknown after a worker crash; not resent');
      await answer(failedEvent('delivery unknown; not resent'), 'failed');
      return;
    }
    // The provider confirms it never received this text: sending it now is its first and only send.
  }
  let sent: { providerId: string };
  try {
    const prepared = opts.prepare ? await opts.prepare() : {};
    if (typeof prepared === 'string') {
      await messages.markFailed(job.effect.id, prepared);
      await answer(failedEvent(prepared), 'failed');
      return;
    }
    const body = renderTemplate(p.body, { ...scope, ...prepared });
    sent = await messaging.send({ to: contact.phone!, body, effectId: job.effect.id });
  } catch (err) {
    if (await sendAgainLater(pool, err, job.effect.id, TASKS.effect, job)) return;
    const reason = refusedReason(err, job.retries ?? 0);
    await messages.markFailed(job.effect.id, reason);
    await answer(failedEvent(reason), 'failed');
    return;
  }
  // Sent: recorded, and the run answered and stepped on, in one transaction (shared with the deliveries of the same moment).
  try {
    const record = { effectId: job.effect.id, providerId: sent.providerId, at: now };
    if (sentEvent) await steps.deliverSent(runId, sentEvent, `${job.effect.id}:sent`, record);
    else await messages.markSent(record.effectId, record.providerId, record.at);
  } catch (err) {
    // The text did go: that much is recorded on its own, so the job's retry answers the run from it and never resends.
    await messages.markSent(job.effect.id, sent.providerId, now);
    throw err;
  }
}

/**
 * What the send-time guard decides on, from the readings the effect's
 * context took with its run (`GuardRows`, one snapshot of the database). A
 * STOP among the texts stored but not yet classified (as the classifier
 * reads it) is a revocation already: FCC 24-24 wants it honoured at once,
 * not once its job has run.
 */
export function guardReadings(r: GuardRows): Omit<SendFacts, 'now' | 'contact'> {
  const unprocessedStop = r.unprocessed.some((body) => classifyReply(body).intent === 'stop');
  return {
    consent: unprocessedStop ? 'revoked' : consentLevelOf(r.consent),
    ...(r.inbound ? { inbound: { at: new Date(r.inbound.at), answered: r.inbound.answered } } : {}),
    recentSends: r.marketing.map((t) => new Date(t)),
    pausedStates: r.paused ?? [],
  };
}
