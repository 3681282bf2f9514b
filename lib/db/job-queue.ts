import type { Queryable } from './queryable';

/** How a job is added: after `delayMs`, and under `key` (a keyed job replaces the one waiting under that key). */
export interface JobOptions {
  delayMs?: number;
  key?: string;
  /** For a keyed job: `replace` (default) moves the waiting job to this time; `preserve_run_at` keeps a waiting job's time. */
  keyMode?: 'replace' | 'preserve_run_at';
  /** graphile-worker's priority: a lower number runs before the jobs due with it (default 0). */
  priority?: number;
}

/**
 * Enqueues a graphile-worker job in the caller's transaction. A later job is
 * scheduled by its delay from the database's own `now()`, so the queue and
 * the engine's clock may differ (the engine's clock decides what is allowed;
 * the queue only measures waiting).
 */
export async function addJob(db: Queryable, task: string, payload: object, opts: JobOptions = {}): Promise<void> {
  await db.query(
    `select graphile_worker.add_job($1, $2::json, run_at => now() + make_interval(secs => $3::double precision / 1000),
       job_key => $4, job_key_mode => $5, max_attempts => 10, priority => $6)`,
    [
      task,
      JSON.stringify(payload),
      Math.max(0, opts.delayMs ?? 0),
      opts.key ?? null,
      opts.key ? (opts.keyMode ?? 'replace') : null,
      opts.priority ?? 0,
    ],
  );
}

/** Moves every waiting job `ms` earlier: a test's clock jumps ahead and the queue with it. */
export async function advanceJobs(db: Queryable, ms: number): Promise<void> {
  await db.query(`update graphile_worker._private_jobs set run_at = run_at - make_interval(secs => $1::double precision / 1000)`, [ms]);
}
