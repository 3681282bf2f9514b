/**
 * Next.js start-up hook for `next dev` (and a bare `next start`): open the
 * database (DATABASE_URL, else the embedded server, migrated) and run the
 * engine's worker in-process, so the dev server alone runs everything. Set
 * OPTLINE_WORKER=off to run workers separately (`npm run worker`). The app
 * server of `npm start` (server.ts) does this itself, with a handle to stop
 * the worker on SIGTERM.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.OPTLINE_APP_SERVER) return;
  const { env } = await import('./lib/env');
  if (!env().worker.inProcess) return;
  const { database } = await import('./lib/db/database');
  const { startWorker } = await import('./lib/runtime/worker');
  const db = await database();
  await startWorker({ pool: db.pool, env: env() });
  console.log(`optline: worker running in the app process (${db.embedded ? 'embedded Postgres' : 'DATABASE_URL'})`);
}
