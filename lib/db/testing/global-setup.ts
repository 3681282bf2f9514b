import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { env } from '../../env';
import { startEmbeddedServer } from '../embedded-server';
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
    project.provide(TEST_SERVER_URL_KEY, databaseUrl);
    return async () => undefined;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'optline-test-pg-'));
  const server = await startEmbeddedServer({ dataDir, ephemeral: true });
  project.provide(TEST_SERVER_URL_KEY, server.url('postgres'));
  return () => server.stop();
}
