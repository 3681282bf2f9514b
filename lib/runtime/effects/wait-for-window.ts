import { resolveZones } from '@/lib/compliance/zones';
import type { EffectContext } from '@/lib/db/effect-context';
import { addJob } from '@/lib/db/job-queue';
import { withTransaction } from '@/lib/db/queryable';
import type { WaitForWindowParams } from '@/lib/flow/machine-events';
import { locationOf } from '@/lib/runtime/contact-scope';
import { TASKS, type EffectJob, type TimerJob } from '@/lib/runtime/tasks';
import { nextWindowOpening } from '@/lib/runtime/wait-window';
import type { EffectDeps } from './effect-deps';

/** Answers `window.open` at once inside the contact's window, else by a timer at its next opening. */
export async function waitForWindow(deps: EffectDeps, job: EffectJob, target: EffectContext, p: WaitForWindowParams): Promise<void> {
  const { pool, clock, steps } = deps;
  const { run, contact } = target;
  const window = { from: p.from, to: p.to, days: p.days };
  const opening = nextWindowOpening(clock(), resolveZones(locationOf(contact)), window);
  if (!opening) throw new Error(`no opening of ${window.from}–${window.to} within a week`);
  const event = { type: 'window.open', nodeId: p.nodeId };
  await withTransaction(pool, async (tx) => {
    if (opening.getTime() <= clock().getTime()) await steps.deliverNow(tx, run.id, event, `${job.effect.id}:open`);
    else
      await addJob(tx, TASKS.timer, { runId: run.id, key: `window:${p.nodeId}`, event, step: 0 } satisfies TimerJob, {
        key: `${run.id}:window:${job.effect.id}`,
        delayMs: opening.getTime() - clock().getTime(),
      });
  });
}
