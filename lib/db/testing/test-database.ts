import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { env } from '@/lib/env';
import { migrate, migrateJobQueue } from '@/lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { TEST_SERVER_URL_KEY } from './test-server';

/** A fresh database of its own for one test file. */
export interface TestDatabase {
  pool: pg.Pool;
  /** Its connection string (a superuser's: tests may disable triggers). */
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** The connection string of the run's Postgres server (from globalSetup, else DATABASE_URL). */
export function testServerUrl(): string {
  const url = inject(TEST_SERVER_URL_KEY) ?? env().databaseUrl;
  if (!url) {
    throw new Error(
      "no test Postgres server: add globalSetup: ['lib/db/testing/global-setup.ts'] to vitest.config.ts, or set DATABASE_URL",
    );
  }
  return url;
}

/** Creates a uniquely named database on the test server, migrated unless `migrate: false`. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  // The creation time in the name lets globalSetup drop databases a killed run left behind.
  const name = `optline_test_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  const url = withDatabase(serverUrl, name);
  const pool = createPool(url);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await pool.end();
    await admin(serverUrl, (c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`));
  };
  try {
    if (options.migrate ?? true) {
      await migrate(pool);
      await migrateJobQueue(pool);
    }
  } catch (err) {
    await drop();
    throw err;
  }
  return { pool, url, name, drop };
}

/** Registers beforeAll/afterAll for this test file's database; call the returned function inside tests. */
export function useTestDatabase(options: { migrate?: boolean } = {}): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(options);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('the test database is created in beforeAll: use it inside a test or hook');
    return db;
  };
}

/** The same server's connection string for another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function admin(serverUrl: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
