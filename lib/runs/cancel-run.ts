import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { withTransaction } from '@/lib/db/queryable';
import { runRepository } from '@/lib/db/run-repository';
import { AppError } from '@/lib/app-error';

/** Ends an active run at once (nothing more is sent for it); a not_found or conflict AppError when there is no such run or it has ended. */
export async function cancelRun(pool: pg.Pool, actor: Actor, id: string): Promise<void> {
  const outcome = await withTransaction(pool, async (tx) => {
    const runs = runRepository(tx);
    const run = await runs.lockRun(id);
    if (!run) return 'missing' as const;
    if (run.status !== 'active') return run.status;
    await runs.saveStep(id, run.snapshot, 'stopped', `cancelled by ${actor.name}`);
    await recordAudit(tx, { actor: actorRef(actor), action: 'run.cancelled', subjectType: 'run', subjectId: id, details: {} });
    return 'cancelled' as const;
  });
  if (outcome === 'missing') throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
  if (outcome !== 'cancelled') throw new AppError('conflict', `run ${id} has already ended (${outcome})`);
}
