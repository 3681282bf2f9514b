import { Logger, run, runMigrations, type Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Env } from '../env';
import type { FlowEngine } from './engine';
import { createServices } from './services';

export interface WorkerOptions {
  pool: pg.Pool;
  env: Env;
  /** Jobs run at once by this process (default 4). */
  concurrency?: number;
  clock?: () => Date;
  /** Silence graphile-worker's own log lines (tests). */
  quiet?: boolean;
}

/** The engine wired to the environment's providers (Twilio/Stripe when configured, the sandbox otherwise). */
export function createEngine(pool: pg.Pool, env: Env, clock: () => Date = () => new Date()): FlowEngine {
  return createServices(pool, env, clock).engine;
}

/**
 * Starts a graphile-worker runner for the engine's tasks on this database.
 * Run as many as needed, on as many machines: the database coordinates them
 * (LISTEN/NOTIFY wakes them, row locks keep each job to one worker).
 */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const logger = options.quiet ? new Logger(() => () => {}) : undefined;
  await runMigrations({ pgPool: options.pool, ...(logger ? { logger } : {}) });
  const engine = createEngine(options.pool, options.env, options.clock);
  return run({
    pgPool: options.pool,
    taskList: engine.taskList(),
    concurrency: options.concurrency ?? 4,
    noHandleSignals: true,
    pollInterval: 1000,
    ...(logger ? { logger } : {}),
  });
}
