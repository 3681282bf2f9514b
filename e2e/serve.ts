/**
 * The app as the end-to-end tests see it: the production app server (server.ts over the build, as `npm start` runs it)
 * on a database of its own, so a run never touches anyone's data. With
 * DATABASE_URL (CI), a fresh database on that server, dropped afterwards;
 * without it, an embedded server in a temporary directory.
 *
 *   tsx e2e/serve.ts <port>
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { withDatabase } from '@/lib/db/testing/test-database';

const port = process.argv[2] ?? '3210';
const serverUrl = process.env.DATABASE_URL;
// The same prefix as the unit tests' databases: a run killed mid-way is cleaned up by the next test run.
const name = `optline_test_${Date.now().toString(36)}_e2e`;

let cleanup: () => Promise<void>;
let databaseUrl: string;
if (serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  await admin.end();
  databaseUrl = withDatabase(serverUrl, name);
  cleanup = async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`);
    await c.end();
  };
} else {
  const server = await startEmbeddedServer({ dataDir: await mkdtemp(path.join(tmpdir(), 'optline-e2e-pg-')), ephemeral: true });
  databaseUrl = server.url('postgres');
  cleanup = () => server.stop();
}

const next = spawn(process.execPath, ['--import', 'tsx', path.resolve('server.ts')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: port,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL: `http://localhost:${port}`,
    APP_SECRET: randomBytes(48).toString('base64url'),
    // The sandbox providers, so the sandbox clock is allowed: campaign.spec.ts launches at 20:30 Eastern whatever the hour.
    OPTLINE_SANDBOX_CLOCK: 'on',
  },
});

let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  next.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await cleanup().catch((err) => console.error('e2e: cleanup failed', err));
  process.exit(code);
};
next.on('exit', (code) => void stop(code ?? 0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));
