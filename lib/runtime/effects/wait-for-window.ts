import { resolveZones } from '@/lib/compliance/zones';
import type { EffectContext } from '@/lib/db/effect-context';
import { addJob } from '@/lib/db/job-queue';
import { withTransaction } from '@/lib/db/queryable';
import type { WaitForWindowParams } from '@/lib/flow/machine-events';
import { locationOf } from '@/lib/runtime/contact-scope';
import { windowPlan } from '@/lib/runtime/interpret/effect-plan';
import { TASKS, type EffectJob, type TimerJob } from '@/lib/runtime/tasks';
import type { EffectDeps } from './effect-deps';

/** Answers `window.open` at once inside the contact's window, else by a timer at its next opening. */
export async function waitForWindow(deps: EffectDeps, job: EffectJob, target: EffectContext, p: WaitForWindowParams): Promise<void> {
  const { pool, clock, steps } = deps;
  const { run, contact } = target;
  const now = clock();
  const plan = windowPlan(p, now, resolveZones(locationOf(contact)));
  if (plan.do === 'stall') throw new Error(plan.reason);
  await withTransaction(pool, async (tx) => {
    if (plan.do === 'answer') await steps.deliverNow(tx, run.id, plan.event, `${job.effect.id}:open`);
    else
      await addJob(tx, TASKS.timer, { runId: run.id, key: plan.key, event: plan.event, step: 0 } satisfies TimerJob, {
        key: `${run.id}:window:${job.effect.id}`,
        delayMs: plan.until.getTime() - now.getTime(),
      });
  });
}
