import pg from 'pg';
import { migrate, migrateJobQueue } from '@/lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { withDatabase } from '@/lib/db/testing/test-database';

/** A new database on the server at `serverUrl`, migrated with the job queue, and how to drop it: one per benchmark run. */
export async function freshDatabase(serverUrl: string): Promise<{ url: string; pool: pg.Pool; drop: () => Promise<void> }> {
  const name = `optline_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const pool = createPool(url, 16);
  await migrate(pool);
  await migrateJobQueue(pool);
  return {
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`);
      await c.end();
    },
  };
}
