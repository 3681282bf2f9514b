import type { EffectContext } from '@/lib/db/effect-context';
import { withTransaction } from '@/lib/db/queryable';
import { runRepository } from '@/lib/db/run-repository';
import type { EffectDeps } from './effect-deps';

/** Closes the run at the snapshot it reached (a step normally ends it with its final snapshot already), with its outbound webhook event. */
export async function endRun(deps: EffectDeps, target: EffectContext): Promise<void> {
  await withTransaction(deps.pool, (tx) => runRepository(tx).saveStep(target.run.id, target.run.snapshot, 'done'));
}
