import { mkdtemp, readFile, writeFile, cp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, migrate, migrationChecksum, MigrationError, readMigrations } from './migrate';
import { createTestDatabase, type TestDatabase } from './testing/test-database';

const TABLES = [
  'api_tokens',
  'audit_log',
  'auth_accounts',
  'auth_rate_limits',
  'auth_sessions',
  'auth_sign_in_attempts',
  'auth_two_factors',
  'auth_users',
  'auth_verifications',
  'campaign_enrolments',
  'campaign_preview_blocked',
  'campaigns',
  'consent_chain_head',
  'consent_events',
  'contact_import_members',
  'contact_imports',
  'contacts',
  'flow_draft_saves',
  'flow_version_authors',
  'flow_version_verdicts',
  'flow_versions',
  'flows',
  'inbound_texts',
  'message_status_changes',
  'messages',
  'optline_migrations',
  'optline_workers',
  'payment_refunds',
  'payments',
  'reviews',
  'run_events',
  'run_steps',
  'runs',
  'sandbox_texts',
  'segments',
  'send_deferrals',
  'settings',
  'verifications',
  'webhook_deliveries',
  'webhook_delivery_attempts',
  'webhook_endpoints',
  'webhook_events',
];

// Everything a migration could change, as one comparable text.
async function schemaFingerprint(pool: pg.Pool): Promise<string> {
  const { rows } = await pool.query<{ item: string }>(`
    select 'col ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') as item
      from information_schema.columns where table_schema = 'public'
    union all select 'con ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      from pg_constraint where connamespace = 'public'::regnamespace
    union all select 'idx ' || indexdef from pg_indexes where schemaname = 'public'
    union all select 'trg ' || tgrelid::regclass || ' ' || tgname from pg_trigger where not tgisinternal
    union all select 'fn ' || proname || ' ' || md5(prosrc) from pg_proc where pronamespace = 'public'::regnamespace
    order by 1`);
  return rows.map((r) => r.item).join('\n');
}

const databases: TestDatabase[] = [];
async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrate: false });
  databases.push(db);
  return db;
}
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'optline-migrations-'));
  await cp(defaultMigrationsDir(), dir, { recursive: true });
  return dir;
}

describe('migrate', () => {
  it('applies every migration to an empty database, in order, each recorded with its checksum', async () => {
    const { pool } = await emptyDatabase();
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const result = await migrate(pool);
    expect(result.applied).toEqual(files.map((f) => f.name));
    const { rows } = await pool.query<{ name: string; checksum: string }>('select name, checksum from optline_migrations order by name');
    expect(rows).toEqual(files.map((f) => ({ name: f.name, checksum: f.checksum })));
    const tables = await pool.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
  });

  it('makes the submitter, the flow creator and audited draft saves authors of versions recorded before authors were kept', async () => {
    const { pool } = await emptyDatabase();
    const all = await readMigrations();
    const authors = all.findIndex((m) => m.name.endsWith('_version_authors.sql'));
    await migrate(pool, { migrations: all.slice(0, authors) });
    await pool.query(`insert into flows (id, name, draft) values ('legacy', 'Legacy', '{}')`);
    await pool.query(
      `insert into audit_log (actor, action, subject_type, subject_id, at) values
         ('u-creator', 'flow.created', 'flow', 'legacy', '2026-01-01T00:00:00Z'),
         ('u-ed (token t1)', 'flow.draft_saved', 'flow', 'legacy', '2026-01-02T00:00:00Z')`,
    );
    const { rows } = await pool.query(
      `insert into flow_versions (flow_id, version, content, content_hash, created_by, status) values ('legacy', 1, '{}', $1, 'u-owner', 'submitted') returning id`,
      ['d'.repeat(64)],
    );
    await migrate(pool, { migrations: all });
    const attached = await pool.query('select author from flow_version_authors where flow_version_id = $1 order by author', [rows[0].id]);
    expect(attached.rows.map((r) => r.author)).toEqual(['u-creator', 'u-ed', 'u-owner']);
    await expect(
      pool.query(
        `insert into reviews (flow_version_id, content_hash, reviewer, decision, comment) values ($1, $2, 'u-ed', 'rejected', 'mine')`,
        [rows[0].id, 'd'.repeat(64)],
      ),
    ).rejects.toThrow('an author of a flow version cannot review it');
  });

  it('changes nothing when applied a second time', async () => {
    const { pool } = await emptyDatabase();
    await migrate(pool);
    const before = await schemaFingerprint(pool);
    const again = await migrate(pool);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toHaveLength((await readMigrations()).length);
    expect(await schemaFingerprint(pool)).toBe(before);
  });

  it('applies each file exactly once when several runners start at the same moment', async () => {
    const { pool } = await emptyDatabase();
    const results = await Promise.all([migrate(pool), migrate(pool), migrate(pool), migrate(pool)]);
    const applied = results.flatMap((r) => r.applied).sort();
    expect(applied).toEqual((await readMigrations()).map((f) => f.name));
    const { rows } = await pool.query<{ n: string }>('select count(*) as n from optline_migrations');
    expect(Number(rows[0]!.n)).toBe(applied.length);
  });

  it('refuses to start when an applied migration file was edited, naming the file', async () => {
    const { pool } = await emptyDatabase();
    const dir = await copyOfMigrations();
    try {
      await migrate(pool, { dir });
      const files = await readMigrations(dir);
      const edited = path.join(dir, files[2]!.name);
      await writeFile(edited, (await readFile(edited, 'utf8')) + '\n-- a harmless-looking edit\n');
      const error = await migrate(pool, { dir }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toContain(`${edited} was edited after it was applied to this database`);
      expect((error as Error).message).toContain('put the change in a new migration');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts a file whose only change is CRLF line endings', async () => {
    const { pool } = await emptyDatabase();
    const files = await readMigrations();
    await migrate(pool, { migrations: files });
    const crlf = files.map((f) => {
      const sql = f.sql.replace(/\n/g, '\r\n');
      return { ...f, sql, checksum: migrationChecksum(sql) };
    });
    expect(crlf.map((f) => f.checksum)).toEqual(files.map((f) => f.checksum));
    expect((await migrate(pool, { migrations: crlf })).applied).toEqual([]);
  });

  it('refuses to start when an applied migration file was deleted', async () => {
    const { pool } = await emptyDatabase();
    const files = await readMigrations();
    await migrate(pool, { migrations: files });
    const error = await migrate(pool, { migrations: files.slice(0, -1) }).catch((err: unknown) => err);
    expect((error as Error).message).toContain(`${files.at(-1)!.name} was applied to this database but the file is gone`);
  });

  it('rolls back a failing migration whole, records nothing, and names the file', async () => {
    const { pool } = await emptyDatabase();
    const bad = [{ name: '20990101000000_half.sql', sql: 'create table half_done (id int); select 1/0;', checksum: 'x'.repeat(64) }];
    const error = await migrate(pool, { migrations: bad }).catch((err: unknown) => err);
    expect((error as Error).message).toMatch(/20990101000000_half\.sql failed and was rolled back: division by zero/);
    const { rows } = await pool.query("select to_regclass('half_done') as t, (select count(*) from optline_migrations)::int as n");
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });

  it('records files that `supabase db push` already applied instead of running them again', async () => {
    const { pool } = await emptyDatabase();
    const files = await readMigrations();
    // What the Supabase CLI leaves behind after pushing the first file.
    await pool.query('create schema supabase_migrations');
    await pool.query('create table supabase_migrations.schema_migrations (version text primary key)');
    await pool.query(files[0]!.sql);
    await pool.query('insert into supabase_migrations.schema_migrations values ($1)', [files[0]!.name.slice(0, 14)]);
    const result = await migrate(pool);
    expect(result.alreadyApplied).toEqual([files[0]!.name]);
    expect(result.applied).toEqual(files.slice(1).map((f) => f.name));
    const { rows } = await pool.query('select applied_by from optline_migrations where name = $1', [files[0]!.name]);
    expect(rows[0]).toEqual({ applied_by: 'supabase' });
  });

  it('rejects a migration file named outside the convention', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'optline-migrations-'));
    try {
      await writeFile(path.join(dir, 'add_things.sql'), 'select 1;');
      await expect(readMigrations(dir)).rejects.toThrow('migration files are named YYYYMMDDHHmmss_what.sql');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves a database the Supabase seed applies to, twice', async () => {
    const { pool } = await emptyDatabase();
    await migrate(pool);
    const seed = await readFile(path.join(defaultMigrationsDir(), '..', 'seed.sql'), 'utf8');
    await pool.query(seed);
    await pool.query(seed);
    const { rows } = await pool.query('select brand from settings');
    expect(rows).toEqual([{ brand: 'Acme Dental' }]);
  });
});
