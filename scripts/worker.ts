/**
 * `npm run worker`: a worker process for the engine on DATABASE_URL (or the
 * embedded server). Several can run at once, on several machines.
 */
import { openDatabase } from '../lib/db/database';
import { env } from '../lib/env';
import { startWorker } from '../lib/runtime/worker';

const config = env();
const db = await openDatabase({ databaseUrl: config.databaseUrl });
const runner = await startWorker({ pool: db.pool, env: config, concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4) });
console.log(`optline worker running on ${db.embedded ? 'the embedded server' : 'DATABASE_URL'}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing running jobs`);
    void runner.stop().then(() => db.close()).then(() => process.exit(0));
  });
}
await runner.promise;
