import type { EffectContext } from '@/lib/db/effect-context';
import type { EffectJob } from '@/lib/runtime/tasks';
import { checkConsent } from './check-consent';
import type { EffectDeps } from './effect-deps';
import { endRun } from './end-run';
import { recordConsent } from './record-consent';
import { requestPayment } from './request-payment';
import { sendText } from './send-text';
import { startVerification } from './start-verification';
import { waitForWindow } from './wait-for-window';

/** Performs a job's effect for its run (active, read with its contact and the guard's readings a moment ago). */
export async function performEffect(deps: EffectDeps, job: EffectJob, target: EffectContext): Promise<void> {
  const effect = job.effect;
  switch (effect.type) {
    case 'sendSms':
      return sendText(deps, job, target, effect.params);
    case 'checkConsent':
      return checkConsent(deps, job, target, effect.params);
    case 'recordConsent':
      return recordConsent(deps, target, effect.params);
    case 'waitForWindow':
      return waitForWindow(deps, job, target, effect.params);
    case 'startVerification':
      return startVerification(deps, job, target, effect.params);
    case 'requestPayment':
      return requestPayment(deps, job, target, effect.params);
    case 'endRun':
      return endRun(deps, target);
    default: {
      const unknown: never = effect;
      throw new Error(`effect ${JSON.stringify(unknown)} is not supported by this engine`);
    }
  }
}
