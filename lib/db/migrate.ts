import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { withTransaction } from './queryable';

/**
 * The migration runner over `supabase/migrations/*.sql`: the same files the
 * Supabase CLI pushes, applied in name (timestamp) order.
 *
 * - Each file runs in its own transaction with its record in
 *   `optline_migrations` (name, SHA-256 of the file), so a file is applied
 *   entirely or not at all, and applying twice changes nothing.
 * - Every transaction first takes one advisory lock and re-reads what is
 *   applied: two processes starting at once apply each file once. The lock is
 *   transaction-scoped, so it also holds behind a transaction-mode pooler.
 * - Migrations are forward-only: if a recorded file was edited or deleted,
 *   the runner refuses to start and says which file.
 * - On a Supabase project whose migrations were applied by `supabase db push`
 *   (recorded in `supabase_migrations.schema_migrations`), those files are
 *   recorded as applied rather than run a second time.
 */

export interface Migration {
  /** File name, `YYYYMMDDHHmmss_what.sql`. */
  name: string;
  sql: string;
  /** SHA-256 (hex) of the file with line endings normalised to \n. */
  checksum: string;
}

export interface MigrateResult {
  /** Files this call applied, in order. */
  applied: string[];
  /** Files already applied (by anyone, including a concurrent runner). */
  alreadyApplied: string[];
}

/** The database's migrations do not match the files: the message says which file and what to do. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const FILE_NAME = /^(\d{14})_[a-z0-9_]+\.sql$/;
// Arbitrary but fixed: every Optline process must use the same key.
const LOCK_KEY = 7_224_310_402_815_031;

/** `supabase/migrations` of this checkout. */
export function defaultMigrationsDir(): string {
  // Relative to this file when run from source (CLI, worker, tests, any working
  // directory); bundlers (Next) move this file, and the app then runs from the
  // project root. The path is built at run time so bundlers do not try to pack
  // the folder as an asset.
  const fromSource = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'supabase', 'migrations');
  return existsSync(fromSource) ? fromSource : path.resolve('supabase/migrations');
}

/** The migration files of a directory, in the order they apply. */
export async function readMigrations(dir = defaultMigrationsDir()): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    if (!FILE_NAME.test(name)) {
      throw new MigrationError(`${path.join(dir, name)}: migration files are named YYYYMMDDHHmmss_what.sql (lower case, digits and _)`);
    }
    const sql = await readFile(path.join(dir, name), 'utf8');
    migrations.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return migrations;
}

/** SHA-256 of a migration's text; CRLF and LF count as the same file. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** Applies every pending migration; throws MigrationError if an applied one was edited or removed. */
export async function migrate(pool: pg.Pool, options: { dir?: string; migrations?: Migration[] } = {}): Promise<MigrateResult> {
  const dir = options.dir ?? defaultMigrationsDir();
  const migrations = options.migrations ?? (await readMigrations(dir));
  const result: MigrateResult = { applied: [], alreadyApplied: [] };

  const recorded = await inLockedTransaction(pool, async (tx) => {
    await tx.query(`
      create table if not exists optline_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now(),
        applied_by text not null default 'optline' check (applied_by in ('optline', 'supabase'))
      )`);
    await tx.query('alter table optline_migrations enable row level security');
    return readRecorded(tx);
  });
  checkRecorded(recorded, migrations, dir);

  for (const migration of migrations) {
    const outcome = await inLockedTransaction(pool, async (tx) => {
      const now = await readRecorded(tx);
      const existing = now.get(migration.name);
      if (existing !== undefined) {
        if (existing !== migration.checksum) throw editedError(dir, migration.name, existing, migration.checksum);
        return 'already' as const;
      }
      const viaSupabase = await appliedBySupabase(tx, migration.name);
      if (!viaSupabase) await runMigrationSql(tx, dir, migration);
      await tx.query('insert into optline_migrations (name, checksum, applied_by) values ($1, $2, $3)', [
        migration.name,
        migration.checksum,
        viaSupabase ? 'supabase' : 'optline',
      ]);
      return viaSupabase ? ('already' as const) : ('applied' as const);
    });
    (outcome === 'applied' ? result.applied : result.alreadyApplied).push(migration.name);
  }
  return result;
}

// One transaction under the migrations' advisory lock: two processes starting together never migrate at once.
function inLockedTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    return fn(tx);
  });
}

async function readRecorded(tx: pg.PoolClient): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ name: string; checksum: string }>('select name, checksum from optline_migrations');
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

function checkRecorded(recorded: Map<string, string>, migrations: Migration[], dir: string): void {
  const files = new Map(migrations.map((m) => [m.name, m.checksum]));
  for (const [name, checksum] of [...recorded].sort(([a], [b]) => a.localeCompare(b))) {
    const file = files.get(name);
    if (file === undefined) {
      throw new MigrationError(
        `${path.join(dir, name)} was applied to this database but the file is gone. ` +
          'Migrations are never deleted: restore it from version control.',
      );
    }
    if (file !== checksum) throw editedError(dir, name, checksum, file);
  }
}

function editedError(dir: string, name: string, recorded: string, current: string): MigrationError {
  return new MigrationError(
    `${path.join(dir, name)} was edited after it was applied to this database ` +
      `(applied checksum ${recorded.slice(0, 12)}…, file now ${current.slice(0, 12)}…). ` +
      'Migrations are forward-only: restore the file as it was and put the change in a new migration.',
  );
}

async function appliedBySupabase(tx: pg.PoolClient, name: string): Promise<boolean> {
  const { rows } = await tx.query<{ present: boolean }>(
    "select to_regclass('supabase_migrations.schema_migrations') is not null as present",
  );
  if (!rows[0]?.present) return false;
  const version = FILE_NAME.exec(name)?.[1];
  const found = await tx.query('select 1 from supabase_migrations.schema_migrations where version = $1', [version]);
  return (found.rowCount ?? 0) > 0;
}

async function runMigrationSql(tx: pg.PoolClient, dir: string, migration: Migration): Promise<void> {
  try {
    // No parameters: the simple query protocol runs every statement of the file.
    await tx.query(migration.sql);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new MigrationError(`${path.join(dir, migration.name)} failed and was rolled back: ${message}`);
  }
}

/**
 * The schema graphile-worker keeps its jobs in (`graphile_worker`), installed
 * or upgraded by graphile-worker itself: the web process enqueues jobs in the
 * same transaction as each step, so the schema must exist before any worker
 * has started.
 */
export async function migrateJobQueue(pool: pg.Pool): Promise<void> {
  const { Logger, runMigrations } = await import('graphile-worker');
  await runMigrations({ pgPool: pool, logger: new Logger(() => () => {}) });
}
