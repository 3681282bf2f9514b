/**
 * `npm run types:data-api`: writes lib/db/data-api-types.ts, the supabase-js
 * types of the Data API's views, read from a scratch database migrated from
 * supabase/migrations: on DATABASE_URL's server (dropped afterwards), else
 * on an embedded server in a temporary directory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { migrate } from '@/lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { DATA_API_TYPES_FILE, generateDataApiTypes } from '@/lib/db/testing/data-api-types';
import { withDatabase } from '@/lib/db/testing/test-database';
import { env } from '@/lib/env';

const name = `optline_types_${randomBytes(5).toString('hex')}`;
const serverUrl = env().databaseUrl;
const embedded = serverUrl
  ? undefined
  : await startEmbeddedServer({ dataDir: await mkdtemp(path.join(tmpdir(), 'optline-types-pg-')), ephemeral: true });
const adminUrl = serverUrl ?? embedded!.url('postgres');
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${admin.escapeIdentifier(name)}`);
const pool = createPool(withDatabase(adminUrl, name));
try {
  await migrate(pool);
  await writeFile(DATA_API_TYPES_FILE, await generateDataApiTypes(pool));
  console.log(`types:data-api: wrote ${path.relative(process.cwd(), DATA_API_TYPES_FILE)}`);
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
  await admin.end();
  await embedded?.stop();
}
