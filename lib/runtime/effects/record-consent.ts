import { consentRepository } from '@/lib/db/consent-repository';
import type { EffectContext } from '@/lib/db/effect-context';
import type { RecordConsentParams } from '@/lib/flow/machine-events';
import { renderTemplate } from '@/lib/flow/templates';
import { scopeOf } from '@/lib/runtime/contact-scope';
import type { EffectDeps } from './effect-deps';

/** Appends a grant to the consent ledger with the opt-in text as it was shown; a decline records nothing (no grant is no consent). */
export async function recordConsent(deps: EffectDeps, target: EffectContext, p: RecordConsentParams): Promise<void> {
  if (p.action !== 'grant') return;
  const { run, contact } = target;
  const text = renderTemplate(p.text, scopeOf(run.snapshot, contact));
  await consentRepository(deps.pool).appendConsentEvent({
    contactId: contact.id,
    action: 'grant',
    purpose: p.purpose,
    source: 'reply',
    channel: 'sms',
    textShown: text,
    reply: p.mode === 'notice' ? '(no reply within the notice period)' : 'YES',
    runId: run.id,
    recordedBy: 'system',
    occurredAt: deps.clock(),
    details: { mode: p.mode, nodeId: p.nodeId },
  });
}
