import { consentCovers } from '@/lib/compliance/types';
import { consentRepository } from '@/lib/db/consent-repository';
import type { EffectContext } from '@/lib/db/effect-context';
import type { CheckConsentParams } from '@/lib/flow/machine-events';
import type { EffectJob } from '@/lib/runtime/tasks';
import type { EffectDeps } from './effect-deps';

/** Answers the node from the consent ledger as it reads now (a check the step could not answer in its own transaction). */
export async function checkConsent(deps: EffectDeps, job: EffectJob, target: EffectContext, p: CheckConsentParams): Promise<void> {
  const granted = consentCovers(await consentRepository(deps.pool).currentConsent(target.contact.id), p.purpose);
  await deps.steps.deliver(
    target.run.id,
    { type: granted ? 'consent.granted' : 'consent.missing', nodeId: p.nodeId },
    `${job.effect.id}:consent`,
  );
}
