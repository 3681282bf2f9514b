import type { EffectContext } from '@/lib/db/effect-context';
import { runRepository } from '@/lib/db/run-repository';
import type { EffectDeps } from './effect-deps';

/** Closes the run at the snapshot it reached (a step normally ends it with its final snapshot already). */
export async function endRun(deps: EffectDeps, target: EffectContext): Promise<void> {
  await runRepository(deps.pool).saveStep(target.run.id, target.run.snapshot, 'done');
}
