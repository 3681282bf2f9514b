/**
 * `npm run bench:campaign`: a campaign on a Postgres server (DATABASE_URL,
 * else an embedded server in a temporary directory), sandbox provider.
 *
 *  - The pre-flight compliance preview of a segment of BENCH_PREVIEW_SMALL
 *    (10,000) and of BENCH_CONTACTS (100,000) contacts: wall time.
 *  - The launch of a one-text flow to the BENCH_CONTACTS contacts, enrolled
 *    and started by BENCH_CAMPAIGN_WORKERS (2) worker processes
 *    (`scripts/worker.ts`) at the maximum pace: enrolments/s and first
 *    texts/s, beside `pgbench -N` with as many clients in the same run.
 *
 * A benchmark, not a test: nothing here fails on a slow machine.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Actor } from '@/lib/access/roles';
import { createCampaign, launchCampaign, MAX_PACE_PER_SECOND, previewCampaign } from '@/lib/campaigns/campaigns';
import { createSegment, previewSegmentFilter } from '@/lib/campaigns/segments';
import type { SegmentFilter } from '@/lib/db/segment-repository';
import { grantAll } from '@/lib/runtime/testing/engine-harness';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { freshDatabase } from './fresh-database';
import { approvedActiveVersion, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { parseEnv } from '@/lib/env';
import { oneTextFlow, spawnWorkerProcess } from '@/lib/runtime/testing/worker-process';
import { VersionCache } from '@/lib/runtime/versions';

const START = '2026-03-10T15:00:00Z'; // 10:00 in New York: every send allowed
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const SMALL = Number(process.env.BENCH_PREVIEW_SMALL ?? 10_000);
const WORKERS = Number(process.env.BENCH_CAMPAIGN_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? parseEnv({}).worker.concurrency);

const serverUrl =
  process.env.DATABASE_URL ??
  (await startEmbeddedServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'optline-bench-pg-')), ephemeral: true })).url('postgres');
const keys = contactKeys(TEST_APP_SECRET);
const actor: Actor = { userId: 'bench', email: 'bench@x.test', name: 'Bench', role: 'editor', via: 'session' };

const ONE_TEXT = oneTextFlow();

/** `pgbench -N` with `clients` clients for 10 s, on a database of its own. */
async function pgbench(clients: number): Promise<number | string> {
  const db = await freshDatabase(serverUrl);
  try {
    execFileSync('pgbench', ['-i', '-q', '-s', '10', db.url], { stdio: 'ignore' });
    const out = execFileSync('pgbench', ['-N', '-c', String(clients), '-j', String(clients), '-T', '10', db.url], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1] ?? NaN);
  } catch (err) {
    return `pgbench failed: ${(err as Error).message.split('\n')[0]}`;
  } finally {
    await db.drop();
  }
}

/** BENCH_CPU_PROF=<dir>: each worker process writes a V8 CPU profile there when it stops. */
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

function workers(url: string, count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawnWorkerProcess(url, { clockStart: START, nodeArgs: profile, env: { WORKER_CONCURRENCY: String(CONCURRENCY) } }),
  );
}

async function until(check: () => Promise<boolean>, pollMs = 100): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, pollMs));
}

/** CONTACTS contacts across four zones, the first SMALL tagged `small`, each with informational consent. */
async function audience(pool: pg.Pool): Promise<void> {
  const zones = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles'];
  const repo = contactRepository(pool, keys);
  for (let i = 0; i < CONTACTS; i += 1000) {
    const ids = await repo.createContacts(
      Array.from({ length: Math.min(1000, CONTACTS - i) }, (_, k) => ({
        phone: `+1212${String(i + k).padStart(7, '0')}`,
        zone: zones[(i + k) % 4]!,
        tags: i + k < SMALL ? ['bench', 'small'] : ['bench'],
        attributes: { amount_due: String(10 + ((i + k) % 90)) },
      })),
    );
    await grantAll(pool, ids, 'informational', '2026-01-01T00:00:00Z', 'bench');
  }
}

const db = await freshDatabase(serverUrl);
const results: Record<string, unknown> = {};
try {
  console.log(`Campaign bench on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'an embedded server'} (Node ${process.version})`);
  const t0 = performance.now();
  await audience(db.pool);
  console.log(`${CONTACTS} contacts with consent written in ${((performance.now() - t0) / 1000).toFixed(1)} s (set-up, not measured)`);
  await approvedActiveVersion(db.pool, ONE_TEXT, 'one-text', { author: 'bench-author', reviewer: 'bench-reviewer' });
  const deps = { pool: db.pool, keys, clock: () => new Date(START), versions: new VersionCache() };

  // A segment's live count and sample (what the builder shows as the marketer edits it), over the whole audience.
  const FILTERS: Record<string, SegmentFilter> = {
    tag: { field: 'tag', tag: 'bench' },
    'informational consent granted': { field: 'consent', purpose: 'informational', status: 'granted' },
    'two time zones': { field: 'zone', in: ['America/New_York', 'America/Chicago'] },
    'amount_due > 50': { field: 'attribute', key: 'amount_due', op: 'gt', value: 50 },
    'all of: consent, zone, not amount_due <= 20': {
      all: [
        { field: 'consent', purpose: 'informational', status: 'granted' },
        { field: 'zone', in: ['America/Denver', 'America/Los_Angeles'] },
        { not: { field: 'attribute', key: 'amount_due', op: 'lte', value: 20 } },
      ],
    },
  };
  await previewSegmentFilter(db.pool, keys, actor, FILTERS.tag!); // fills the contacts' segment facts once, as the first look does
  const counts = [];
  for (const [filter, f] of Object.entries(FILTERS)) {
    const t = performance.now();
    const { count } = await previewSegmentFilter(db.pool, keys, actor, f);
    counts.push({ filter, contacts: count, 'count + sample ms': Math.round(performance.now() - t) });
  }
  console.table(counts);
  results.segmentCounts = counts;

  const previewOf = async (tag: string) => {
    const segment = await createSegment(db.pool, actor, { name: tag, filter: { field: 'tag', tag } });
    const campaign = await createCampaign(deps, actor, {
      name: tag,
      flowId: 'one-text',
      audience: { segmentId: segment.id },
      schedule: { kind: 'now' },
      variables: { amount: 'amount_due' },
      pacePerSecond: MAX_PACE_PER_SECOND,
    });
    const t = performance.now();
    const preview = await previewCampaign(deps, actor, campaign.id);
    return { campaign, ms: Math.round(performance.now() - t), preview };
  };
  const small = await previewOf('small');
  const big = await previewOf('bench');
  console.table([
    {
      contacts: small.preview.total,
      'preview ms': small.ms,
      send: small.preview.send,
      hold: small.preview.hold,
      block: small.preview.block,
    },
    { contacts: big.preview.total, 'preview ms': big.ms, send: big.preview.send, hold: big.preview.hold, block: big.preview.block },
  ]);
  results.preview = [
    { contacts: small.preview.total, ms: small.ms },
    { contacts: big.preview.total, ms: big.ms },
  ];

  const procs = workers(db.url, WORKERS);
  try {
    await until(
      async () => (await db.pool.query('select count(*)::int as n from optline_workers')).rows[0].n >= WORKERS * (CONCURRENCY + 1),
    );
    const launchedAt = performance.now();
    await launchCampaign(deps, actor, big.campaign.id);
    const count = async (sql: string) => (await db.pool.query(sql, [big.campaign.id])).rows[0].n as number;
    // BENCH_VERBOSE: enrolled, started and sent every second, to see which stage holds the others back.
    const timeline = process.env.BENCH_VERBOSE
      ? setInterval(() => {
          void db.pool
            .query(
              `select count(*)::int as enrolled, count(e.run_id)::int as started,
                 (select count(*)::int from messages m where m.status in ('sent', 'delivered')) as sent
               from campaign_enrolments e where e.campaign_id = $1`,
              [big.campaign.id],
            )
            .then(({ rows }) => console.log(`${((performance.now() - launchedAt) / 1000).toFixed(1)} s`, rows[0]));
        }, 1000)
      : undefined;
    await until(async () => (await count(`select count(*)::int as n from campaign_enrolments where campaign_id = $1`)) >= CONTACTS, 200);
    const enrolledAt = performance.now();
    // The texts of this database are the campaign's (the previews sent none): counted without a join, which beside
    // 100,000 texts every half second would take a core's share from the workers being measured.
    await until(
      async () =>
        (await db.pool.query(`select count(*)::int as n from messages where direction = 'outbound' and status in ('sent', 'delivered')`))
          .rows[0].n >= CONTACTS,
      500,
    );
    const sentAt = performance.now();
    clearInterval(timeline);
    const enrolPerSecond = CONTACTS / ((enrolledAt - launchedAt) / 1000);
    const textsPerSecond = CONTACTS / ((sentAt - launchedAt) / 1000);
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    const tps = await pgbench(WORKERS);
    const row = {
      contacts: CONTACTS,
      'worker processes': WORKERS,
      'enrolments/s': Math.round(enrolPerSecond),
      'first texts/s': Math.round(textsPerSecond),
      'pgbench -N tps (same clients)': typeof tps === 'number' ? Math.round(tps) : tps,
      'first texts / pgbench': typeof tps === 'number' ? +(textsPerSecond / tps).toFixed(2) : '-',
    };
    console.table([row]);
    results.launch = row;
  } finally {
    for (const p of procs) p.kill('SIGTERM');
  }
} finally {
  await new Promise((r) => setTimeout(r, 500));
  await db.drop();
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/campaign.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
