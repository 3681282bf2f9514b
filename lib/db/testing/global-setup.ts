import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { env } from '@/lib/env';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { TEST_SERVER_URL_KEY } from './test-server';

/**
 * vitest globalSetup: the Postgres server for the whole test run. With
 * DATABASE_URL (CI), that server; without it, an embedded server in a fresh
 * temporary directory, started once here and deleted after the run, so runs
 * in parallel never share one. Each test file then makes its own database
 * on it with `createTestDatabase()`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = env().databaseUrl;
  if (databaseUrl) {
    await dropAbandonedTestDatabases(databaseUrl);
    project.provide(TEST_SERVER_URL_KEY, databaseUrl);
    return async () => undefined;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'optline-test-pg-'));
  const server = await startEmbeddedServer({ dataDir, ephemeral: true });
  project.provide(TEST_SERVER_URL_KEY, server.url('postgres'));
  return () => server.stop();
}

// A run killed mid-way leaves its databases on a shared server; a day later they are surely abandoned.
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

async function dropAbandonedTestDatabases(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("select datname from pg_database where datname like 'optline\\_test\\_%'");
    for (const { datname } of rows) {
      const createdAt = parseInt(datname.split('_')[2] ?? '', 36);
      if (Number.isFinite(createdAt) && Date.now() - createdAt > ABANDONED_AFTER_MS) {
        await client.query(`drop database if exists ${client.escapeIdentifier(datname)} with (force)`).catch(() => undefined);
      }
    }
  } finally {
    await client.end();
  }
}
