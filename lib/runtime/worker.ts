import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import {
  type CronItem,
  Logger,
  makeWorkerUtils,
  type LogFunctionFactory,
  parseCronItems,
  run,
  runMigrations,
  type Runner,
  type WorkerEvents,
} from 'graphile-worker';
import type pg from 'pg';
import { workerRegistry } from '@/lib/db/worker-registry';
import type { Env } from '@/lib/env';
import { type EngineOptions, type FlowEngine, TASKS } from './engine';
import { processClock } from './sandbox-clock';
import { createServices } from './services';

export interface WorkerOptions {
  pool: pg.Pool;
  env: Env;
  /** Jobs run at once by this process (default: the environment's `worker.concurrency`). */
  concurrency?: number;
  /** The engine's clock (default: the process's, lib/runtime/sandbox-clock.ts: the sandbox clock when it is on, which the routes read too). */
  clock?: () => Date;
  /** Silence graphile-worker's own log lines (tests). */
  quiet?: boolean;
  /** Jobs fetched and locked at once for this process's workers (graphile-worker's local queue; default: the environment's, or twice the concurrency given). */
  localQueueSize?: number;
  /** How often this process says it is alive (default 5 s). */
  heartbeatMs?: number;
  /** After how long without a beat another worker unlocks a worker's jobs (default 30 s). */
  deadAfterMs?: number;
  /** Contacts a campaign enrolment job enrols (default `ENROL_BATCH`). */
  enrolBatch?: number;
}

/**
 * A log factory that passes everything on to `base` except graphile-worker's warning that the pool is smaller
 * than the concurrency: true of jobs that each hold a connection, not of
 * these, which hold at most one at a time and mostly wait for shared batches
 * (README, "Workers"), so the warning would only mislead an operator.
 */
export function withoutPoolSizeWarning(base: LogFunctionFactory): LogFunctionFactory {
  return (scope) => {
    const log = base(scope);
    return (level, message) => {
      if (/^WARNING: having maxPoolSize \(\d+\) smaller than concurrency/.test(message)) return;
      log(level, message);
    };
  };
}

/** graphile-worker's console log (its own format: `[core(worker: task{job})] LEVEL: message`; no debug lines), without that warning. */
const workerLogger = new Logger(
  withoutPoolSizeWarning((scope) => (level, message) => {
    if (level === 'debug') return;
    const where = scope.workerId
      ? `(${scope.workerId}${scope.taskIdentifier ? `: ${scope.taskIdentifier}` : ''}${scope.jobId ? `{${scope.jobId}}` : ''})`
      : '';
    const line = `[${scope.label ?? 'core'}${where}] ${level.toUpperCase()}: ${message}`;
    if (level === 'error') console.error(line);
    else if (level === 'warning') console.warn(line);
    else console.log(line);
  }),
);

/**
 * The workers' crontab (graphile-worker's, one job per tick whichever of the
 * workers takes it): at 03:17 UTC, old processed inbound texts are deleted
 * (`FlowEngine.pruneInboundTexts`). A tick missed while no worker ran is run
 * once when one starts within the day.
 */
export const CRON_ITEMS: CronItem[] = [
  {
    task: TASKS.pruneInbound,
    match: '17 3 * * *',
    identifier: TASKS.pruneInbound,
    options: { backfillPeriod: 24 * 3_600_000, maxAttempts: 3 },
  },
];

/** The engine wired to the environment's providers (Twilio/Stripe when configured, the sandbox otherwise). */
export function createEngine(
  pool: pg.Pool,
  env: Env,
  clock: () => Date = () => new Date(),
  tuning: Pick<EngineOptions, 'enrolBatch'> = {},
): FlowEngine {
  return createServices(pool, env, clock, tuning).engine;
}

/**
 * Starts a graphile-worker runner for the engine's tasks on this database.
 * Run as many as needed, on as many machines: the database coordinates them
 * (LISTEN/NOTIFY wakes them, row locks keep each job to one worker).
 */
export async function startWorker(options: WorkerOptions): Promise<Runner> {
  const logger = options.quiet ? new Logger(() => () => {}) : workerLogger;
  const { pool } = options;
  await runMigrations({ pgPool: pool, logger });
  const tuning = options.enrolBatch !== undefined ? { enrolBatch: options.enrolBatch } : {};
  const engine = createEngine(pool, options.env, options.clock ?? processClock(options.env), tuning);
  const events: WorkerEvents = new EventEmitter();
  const mine: string[] = [];
  const workers = workerRegistry(pool);
  const process_ = `${hostname()}:${process.pid}`;
  // The ids created at one moment (the pool and each of its workers) are registered in one statement, not a connection each.
  let unregistered: string[] = [];
  const register = (id: string) => {
    mine.push(id);
    unregistered.push(id);
    if (unregistered.length > 1) return;
    setImmediate(() => {
      const ids = unregistered;
      unregistered = [];
      void workers.register(ids, process_).catch(() => undefined);
    });
  };
  // graphile-worker 0.17 locks jobs by the pool's id (the local queue takes them for the whole pool); the workers' ids are kept too.
  events.on('pool:create', ({ workerPool }) => register(workerPool.id));
  events.on('worker:create', ({ worker }) => register(worker.workerId));
  const concurrency = options.concurrency ?? options.env.worker.concurrency;
  const runner = await run({
    pgPool: pool,
    taskList: engine.taskList(),
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    preset: {
      worker: {
        // One query fetches (and locks) a batch of due jobs for the process; its workers take them from memory.
        localQueue: { size: options.localQueueSize ?? (options.concurrency ? 2 * options.concurrency : options.env.worker.localQueueSize) },
        // Completions and failures of the same moment go to the database in one statement.
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
    // Schedule triggers are run_at jobs per enrolment (lib/runtime/schedule.ts); the crontab is the daily upkeep only (no crontab file to look for).
    parsedCronItems: parseCronItems(CRON_ITEMS),
    events,
    logger,
  });
  const utils = await makeWorkerUtils({ pgPool: pool, logger });
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const deadAfterMs = options.deadAfterMs ?? 30_000;
  const beat = async () => {
    // An upsert, not an update: a worker a peer forgot after a stall (or whose first registration failed) is known
    // again; else a later crash would leave its jobs locked until graphile-worker's own 4-hour timeout.
    if (mine.length) await workers.register(mine, process_);
    // Workers whose beat stopped: their jobs go back to the queue.
    const dead = await workers.removeDead(deadAfterMs, mine);
    if (dead.length) await utils.forceUnlockWorkers(dead);
  };
  const timer = setInterval(() => void beat().catch(() => undefined), heartbeatMs);
  timer.unref();
  void beat().catch(() => undefined);
  void runner.promise.finally(async () => {
    clearInterval(timer);
    await workers.unregister(mine).catch(() => undefined);
    await Promise.resolve(utils.release()).catch(() => undefined);
  });
  return runner;
}
