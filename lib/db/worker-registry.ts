import type { Queryable } from './queryable';

/** The job workers alive in some process (`optline_workers`), kept by their heartbeats. */
export function workerRegistry(db: Queryable) {
  return {
    /**
     * Registers workers of a process, or renews their heartbeat: as their
     * beat, it registers again a worker a peer took for dead after a stall
     * (and forgot), so its jobs are still recovered if it dies later.
     */
    async register(workerIds: readonly string[], process: string): Promise<void> {
      await db.query(
        'insert into optline_workers (worker_id, process) select id, $2 from unnest($1::text[]) as id on conflict (worker_id) do update set heartbeat_at = now()',
        [workerIds, process],
      );
    },

    /** Removes the workers, other than `except`, whose last beat is older than `deadAfterMs`; returns their ids. */
    async removeDead(deadAfterMs: number, except: readonly string[]): Promise<string[]> {
      const { rows } = await db.query<{ worker_id: string }>(
        `delete from optline_workers where heartbeat_at < now() - make_interval(secs => $1::double precision / 1000) and not (worker_id = any($2)) returning worker_id`,
        [deadAfterMs, except],
      );
      return rows.map((r) => r.worker_id);
    },

    async unregister(workerIds: readonly string[]): Promise<void> {
      await db.query('delete from optline_workers where worker_id = any($1)', [workerIds]);
    },
  };
}
