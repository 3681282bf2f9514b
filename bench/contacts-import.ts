/**
 * `npx tsx bench/contacts-import.ts`: a 10,000-row contacts CSV (every column,
 * a marketing grant on each row) through POST /api/contacts/import's handler,
 * on a fresh database on DATABASE_URL (else an embedded server in a temporary
 * directory). Reports the time to validate, the time until the `done` line
 * (validation, the one transaction, commit), and the same file again, when
 * every row updates an existing contact. BENCH_CONTACTS sets the row count.
 * A benchmark, not a test: nothing here fails on a slow machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { contactHandlers } from '@/app/api/contacts/contact-handlers';
import { validateContactsCsv } from '@/lib/contacts/csv-import';
import { contactKeys } from '@/lib/db/contact-repository';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { migrate } from '@/lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { withDatabase } from '@/lib/db/testing/test-database';

const ROWS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const NOW = new Date('2026-03-10T15:00:00Z');
const TEXT = 'Acme Dental: I agree to receive recurring marketing texts at this number. Msg & data rates may apply. Reply STOP to opt out.';

const serverUrl =
  process.env.DATABASE_URL ??
  (await startEmbeddedServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'optline-bench-pg-')), ephemeral: true })).url('postgres');

function csv(rows: number): string {
  const lines = ['phone,name,first_name,zip,zone,state,dob,consent_purpose,consent_text,consent_at,consent_channel,consent_ref'];
  for (let i = 0; i < rows; i++) {
    const phone = `(${212 + (i % 3) * 100}) 555-${String(i % 10_000).padStart(4, '0')}`;
    lines.push(
      `${phone},"Person ${i}, Jr",Person,${String(10_000 + (i % 89_999)).padStart(5, '0')},America/New_York,NY,1980-04-12,marketing,"${TEXT}",2026-03-01T12:00:00-05:00,web,form-${i}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

interface Timing {
  /** Until the response's status and headers: reading and validating the whole file. */
  validatedMs: number;
  /** Until every contact was written (the progress line where done = rows). */
  contactsMs: number;
  /** Until the `done` line: the ledger appends, the audit entry and the commit. */
  totalMs: number;
  last: unknown;
}

async function run(handler: ReturnType<typeof contactHandlers>, text: string, rows: number): Promise<Timing> {
  const started = performance.now();
  const res = await handler.importCsv(
    new Request('http://bench/api/contacts/import?file=bench.csv', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: text }),
  );
  const validatedMs = performance.now() - started;
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  let contactsMs = 0;
  let last: unknown;
  let buffered = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as { phase: string; done?: number };
      buffered = buffered.slice(nl + 1);
      if (line.phase === 'importing' && line.done === rows && !contactsMs) contactsMs = performance.now() - started;
      last = line;
    }
  }
  return { validatedMs, contactsMs, totalMs: performance.now() - started, last };
}

const name = `optline_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${admin.escapeIdentifier(name)}`);
const pool = createPool(withDatabase(serverUrl, name), 4);
try {
  await migrate(pool);
  // Rows 0–9,999 repeat phone numbers beyond 10,000; keep the file valid.
  const rows = Math.min(ROWS, 30_000);
  const text = csv(rows);
  const handler = contactHandlers({
    authenticate: async () => ({ userId: 'bench', email: 'bench@x.test', name: 'Bench', role: 'editor', via: 'session' }),
    pool: async () => pool,
    keys: () => contactKeys(TEST_APP_SECRET),
    clock: () => NOW,
  });
  const v0 = performance.now();
  const validation = validateContactsCsv(text, NOW);
  const validateMs = performance.now() - v0;
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors.slice(0, 3)));
  const created = await run(handler, text, rows);
  const updated = await run(handler, text, rows);
  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `contacts import, ${rows.toLocaleString('en-US')} rows, ${(text.length / 1024 / 1024).toFixed(2)} MB, every row with a marketing grant`,
  );
  console.log(`  parse + validate only:               ${fmt(validateMs)}`);
  for (const [what, t] of [
    ['into an empty table', created],
    ['same file again (every row an update)', updated],
  ] as const) {
    console.log(
      `  ${what}: ${fmt(t.totalMs)} to the done line (validated ${fmt(t.validatedMs)}, contacts written ${fmt(t.contactsMs)})  ${JSON.stringify(t.last)}`,
    );
  }
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
  await admin.end();
}
