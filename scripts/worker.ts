/**
 * `npm run worker`: a worker process for the engine on DATABASE_URL (or the
 * embedded server). Several can run at once, on several machines.
 */
import { openDatabase } from '@/lib/db/database';
import { env, EnvError } from '@/lib/env';
import { startWorker } from '@/lib/runtime/worker';

// A bad variable stops the worker with one line per problem, naming it, and exit code 2 (as the app server does).
const config = (() => {
  try {
    return env();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    console.error(`optline worker: ${err.message}`);
    process.exit(2);
  }
})();
// The sandbox clock's offset lives in the app server's process (lib/runtime/sandbox-clock.ts): a worker apart cannot share it.
if (config.sandboxClock) {
  console.error(
    "optline worker: OPTLINE_SANDBOX_CLOCK=on: the sandbox clock is the app server's (its worker runs in its process); a separate worker would decide by another clock",
  );
  process.exit(2);
}
const number = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined);

/**
 * OPTLINE_CLOCK_START (not in production): the engine's clock starts at this
 * instant and runs on in real time. For rehearsals and tests of time-bound
 * behaviour (quiet hours) at a chosen hour.
 */
function clockOf(): (() => Date) | undefined {
  const start = process.env.OPTLINE_CLOCK_START;
  if (!start) return undefined;
  if (config.nodeEnv === 'production') throw new Error('OPTLINE_CLOCK_START is refused in production');
  const at = Date.parse(start);
  if (Number.isNaN(at)) throw new Error(`OPTLINE_CLOCK_START "${start}" is not an ISO 8601 time`);
  const offset = at - Date.now();
  return () => new Date(Date.now() + offset);
}

/** OPTLINE_CAMPAIGN_ENROL_BATCH (not in production): contacts a campaign enrolment job enrols (default 1,000). */
function enrolBatchOf(): number | undefined {
  const batch = number('OPTLINE_CAMPAIGN_ENROL_BATCH');
  if (batch === undefined) return undefined;
  if (config.nodeEnv === 'production') throw new Error('OPTLINE_CAMPAIGN_ENROL_BATCH is refused in production');
  return batch;
}

const { concurrency } = config.worker;
// A job holds at most one connection at a time (a transaction reads on its own connection), so the pool need not grow
// with the concurrency: jobs waiting for a group commit hold none. graphile-worker fetches and completes jobs on it too.
const db = await openDatabase({ databaseUrl: config.databaseUrl, max: Math.min(concurrency * 2 + 2, 20) });
const clock = clockOf();
const enrolBatch = enrolBatchOf();
const runner = await startWorker({
  pool: db.pool,
  env: config,
  ...(clock ? { clock } : {}),
  ...(number('OPTLINE_WORKER_HEARTBEAT_MS') ? { heartbeatMs: number('OPTLINE_WORKER_HEARTBEAT_MS') } : {}),
  ...(number('OPTLINE_WORKER_DEAD_AFTER_MS') ? { deadAfterMs: number('OPTLINE_WORKER_DEAD_AFTER_MS') } : {}),
  ...(enrolBatch !== undefined ? { enrolBatch } : {}),
});
console.log(`optline worker running on ${db.embedded ? 'the embedded server' : 'DATABASE_URL'}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing running jobs`);
    void runner
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  });
}
await runner.promise;
