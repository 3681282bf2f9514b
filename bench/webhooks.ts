/**
 * `npm run bench:webhooks`: outbound webhooks end to end on a Postgres
 * server (DATABASE_URL, else an embedded server in a temporary directory),
 * on a database of its own, dropped afterwards.
 *
 * Consent changes are committed the way the ledger commits them
 * (CSV-import-sized transactions of BENCH_WEBHOOK_BATCH, 50, over
 * BENCH_WEBHOOK_CONTACTS, 1,000, contacts: each contact's events interleaved
 * with the others'), each writing its outbound events in its own
 * transaction; a graphile-worker runner in this process (the product's
 * concurrency) delivers them, signed, to a real HTTP receiver on 127.0.0.1
 * (the development setting allows the loopback address). Two phases of
 * BENCH_WEBHOOK_EVENTS (10,000) events each:
 *
 *  1. drain: the events committed while no worker runs, then a worker
 *     started: deliveries per second of the delivery path alone;
 *  2. live: the worker runs while the changes commit: deliveries per second
 *     and the latency from each change (its transaction's time, the event's
 *     `timestamp`) to the receiver's arrival, p50 / p99.
 *
 * Also printed: whether every contact's events arrived in order, and how
 * many arrived twice. Baseline, in the same run: the same number of plain
 * HTTP POSTs of the same body to the same receiver, as many at once as the
 * worker's concurrency, each on a new connection as a delivery is: posts
 * per second and p99 of one POST.
 *
 * A benchmark, not a test: nothing here fails on a slow machine.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { actorFor } from '@/lib/auth/testing/actors';
import { createFieldCipher } from '@/lib/crypto/field-cipher';
import { consentRepository, type NewConsentEvent } from '@/lib/db/consent-repository';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { migrate, migrateJobQueue } from '@/lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { withTransaction } from '@/lib/db/queryable';
import { makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { withDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { createWebhookEndpoint } from '@/lib/outbound-webhooks';
import { startReceiver, type Received } from '@/lib/outbound-webhooks/testing/receiver';
import { startWorker } from '@/lib/runtime/worker';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 50);
const CONTACTS = Number(process.env.BENCH_WEBHOOK_CONTACTS ?? 1_000);
const env = parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: 'on' });
const CONCURRENCY = env.worker.concurrency;

const serverUrl =
  process.env.DATABASE_URL ??
  (await startEmbeddedServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'optline-bench-pg-')), ephemeral: true })).url('postgres');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

async function withDatabaseOfItsOwn<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const name = `optline_bench_webhooks_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${admin.escapeIdentifier(name)}`);
  const pool = createPool(withDatabase(serverUrl, name));
  try {
    await migrate(pool);
    await migrateJobQueue(pool);
    return await fn(pool);
  } finally {
    await pool.end();
    await admin.query(`drop database if exists ${admin.escapeIdentifier(name)} with (force)`);
    await admin.end();
  }
}

/** The baseline: `count` plain POSTs of `body`, `concurrency` at a time, each on a new connection. */
async function plainPosts(url: string, body: string, count: number, concurrency: number): Promise<{ perSecond: number; p99: number }> {
  const latencies: number[] = [];
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request(
        url,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p99: percentile(latencies, 99) };
}

const result = await withDatabaseOfItsOwn(async (pool) => {
  const receiver = await startReceiver();
  const arrivals: { wall: number; received: Received }[] = [];
  receiver.answer((received) => {
    arrivals.push({ wall: Date.now(), received });
    return 204;
  });
  const contacts: { id: string }[] = [];
  for (let i = 0; i < CONTACTS; i += 50) {
    contacts.push(...(await Promise.all(Array.from({ length: Math.min(50, CONTACTS - i) }, () => makeContact(pool)))));
  }
  await createWebhookEndpoint(
    { pool, cipher: createFieldCipher(TEST_APP_SECRET), policy: env.outboundWebhooks, clock: () => new Date() },
    actorFor('admin'),
    { url: receiver.url, description: 'bench', eventTypes: ['contact.opted_in', 'contact.opted_out'], includePhone: false },
  );
  const distinctIds = () => new Set(arrivals.map((a) => a.received.headers['webhook-id'])).size;
  const waitForEvents = async (count: number) => {
    const deadline = Date.now() + 900_000;
    while (distinctIds() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  };
  // Event i concerns contact i % CONTACTS: each contact's events alternate grant, revoke, … in commit order.
  const change = (i: number): NewConsentEvent => {
    const contactId = contacts[i % CONTACTS]!.id;
    const at = new Date();
    return Math.floor(i / CONTACTS) % 2 === 0
      ? { contactId, action: 'grant', purpose: 'informational', source: 'api', channel: 'api', recordedBy: 'bench', occurredAt: at }
      : { contactId, action: 'revoke', source: 'api', channel: 'api', recordedBy: 'bench', occurredAt: at };
  };
  const commit = async (from: number) => {
    const t0 = performance.now();
    for (let i = from; i < from + EVENTS; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, from + EVENTS - i) }, (_, k) => change(i + k));
      await withTransaction(pool, (tx) => consentRepository(tx).appendConsentEvents(batch));
    }
    return EVENTS / ((performance.now() - t0) / 1000);
  };

  // 1. Drain: the events committed while no worker runs, then a worker started: deliveries per second of the queue alone.
  const committedPerSecond = await commit(0);
  const drainStart = Date.now();
  let runner = await startWorker({ pool, env, quiet: true });
  await waitForEvents(EVENTS);
  const drainPerSecond = EVENTS / ((Math.max(...arrivals.map((a) => a.wall)) - drainStart) / 1000);
  await runner.stop();
  const drainedEvents = distinctIds();

  // 2. Live: the worker runs while the changes commit: latency from each change to its arrival.
  runner = await startWorker({ pool, env, quiet: true });
  const liveStart = Date.now();
  await commit(EVENTS);
  await waitForEvents(2 * EVENTS);
  const livePerSecond = EVENTS / ((Math.max(...arrivals.map((a) => a.wall)) - liveStart) / 1000);
  await runner.stop();

  // At least once: a try the worker gave up on (its answer came too late) may have arrived, and is sent again. Count each
  // event by its first arrival (its webhook-id); its repeats are counted apart.
  const first = new Map<string, { wall: number; event: { type: string; timestamp: string; data: { contactId: string } } }>();
  for (const a of arrivals) {
    const id = String(a.received.headers['webhook-id']);
    if (!first.has(id)) first.set(id, { wall: a.wall, event: JSON.parse(a.received.body) });
  }
  const firsts = [...first.values()];
  const latencies = firsts
    .slice(drainedEvents)
    .map((f) => f.wall - Date.parse(f.event.timestamp))
    .sort((a, b) => a - b);
  const byContact = new Map<string, string[]>();
  for (const f of firsts) byContact.set(f.event.data.contactId, [...(byContact.get(f.event.data.contactId) ?? []), f.event.type]);
  const inOrder = [...byContact.values()].every((types) =>
    types.every((t, k) => t === (k % 2 === 0 ? 'contact.opted_in' : 'contact.opted_out')),
  );
  const duplicates = arrivals.length - first.size;
  const { rows: failedTries } = await pool.query<{ error: string; n: number }>(
    `select error, count(*)::int as n from webhook_delivery_attempts where error is not null group by 1 order by 2 desc limit 3`,
  );
  const baseline = await plainPosts(receiver.url, arrivals[0]!.received.body, EVENTS, CONCURRENCY);
  await receiver.close();
  return {
    drainPerSecond,
    livePerSecond,
    committedPerSecond,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    inOrder,
    duplicates,
    failedTries,
    baseline,
  };
});

console.log(`outbound webhooks: ${fmt(EVENTS)} events (${CONTACTS} contacts, commits of ${BATCH}), worker concurrency ${CONCURRENCY}`);
console.log(`  changes committed:        ${fmt(result.committedPerSecond)} events/s (consent ledger appends with their outbox rows)`);
console.log(
  `  drain:                    ${fmt(result.drainPerSecond)} deliveries/s (${fmt(EVENTS)} queued, worker started → last arrival)`,
);
console.log(`  live:                     ${fmt(result.livePerSecond)} deliveries/s while committing (first commit → last arrival)`);
console.log(`  change → delivery (live): p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms`);
console.log(
  `  each contact's events in order (first arrivals): ${result.inOrder ? 'yes' : 'NO'}; repeated deliveries: ${result.duplicates}`,
);
for (const f of result.failedTries) console.log(`  failed tries: ${f.n} × ${f.error}`);
console.log(
  `  baseline, plain POSTs:    ${fmt(result.baseline.perSecond)} posts/s, p99 ${fmt(result.baseline.p99)} ms (same receiver, ${CONCURRENCY} at once, a new connection each)`,
);
console.log(`  drain deliveries/s ÷ plain posts/s: ${(result.drainPerSecond / result.baseline.perSecond).toFixed(3)}`);
process.exit(0);
