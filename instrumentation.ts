/**
 * Next.js start-up hook: in the app's Node.js server, open the database
 * (DATABASE_URL, else the embedded server, migrated) and run the engine's
 * worker in-process, so `npm start` alone runs everything. Set
 * OPTLINE_WORKER=off to run workers separately (`npm run worker`).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.OPTLINE_WORKER === 'off') return;
  const { env } = await import('./lib/env');
  const { database } = await import('./lib/db/database');
  const { startWorker } = await import('./lib/runtime/worker');
  const db = await database();
  await startWorker({ pool: db.pool, env: env() });
  console.log(`optline: worker running in the app process (${db.embedded ? 'embedded Postgres' : 'DATABASE_URL'})`);
}
