import { consentRepository } from '@/lib/db/consent-repository';
import type { EffectContext } from '@/lib/db/effect-context';
import type { CheckConsentParams } from '@/lib/flow/machine-events';
import { consentAnswer } from '@/lib/runtime/interpret/effect-plan';
import type { EffectJob } from '@/lib/runtime/tasks';
import type { EffectDeps } from './effect-deps';

/** Answers the node from the consent ledger as it reads now (a check the step could not answer in its own transaction). */
export async function checkConsent(deps: EffectDeps, job: EffectJob, target: EffectContext, p: CheckConsentParams): Promise<void> {
  const level = await consentRepository(deps.pool).currentConsent(target.contact.id);
  await deps.steps.deliver(target.run.id, consentAnswer(p, level), `${job.effect.id}:consent`);
}
