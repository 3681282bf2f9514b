import { consentRepository } from '@/lib/db/consent-repository';
import type { EffectContext } from '@/lib/db/effect-context';
import type { RecordConsentParams } from '@/lib/flow/machine-events';
import { scopeOf } from '@/lib/runtime/contact-scope';
import { consentRecordPlan } from '@/lib/runtime/interpret/effect-plan';
import type { EffectDeps } from './effect-deps';

/** Appends a grant to the consent ledger with the opt-in text as it was shown; a decline records nothing (no grant is no consent). */
export async function recordConsent(deps: EffectDeps, target: EffectContext, p: RecordConsentParams): Promise<void> {
  const plan = consentRecordPlan(p, scopeOf(target.run.snapshot, target.contact));
  if (plan.do === 'nothing') return;
  await consentRepository(deps.pool).appendConsentEvent({
    contactId: target.contact.id,
    action: 'grant',
    purpose: plan.purpose,
    source: 'reply',
    channel: 'sms',
    textShown: plan.textShown,
    reply: plan.reply,
    runId: target.run.id,
    recordedBy: 'system',
    occurredAt: deps.clock(),
    details: { mode: plan.mode, nodeId: p.nodeId },
  });
}
