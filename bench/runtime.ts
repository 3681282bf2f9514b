/**
 * `npm run bench:runtime`: the durable engine on a Postgres server
 * (DATABASE_URL, else an embedded server in a temporary directory).
 *
 *  - Flow steps committed per second with 1, 2 and 4 worker processes
 *    (`scripts/worker.ts`, sandbox provider), beside `pgbench -N` with the same
 *    number of clients on the same server in the same run.
 *  - Inbound reply → next outbound send latency, p50 / p99: the reply stored
 *    as the webhook stores it, classified and applied by the worker.
 *  - The Twilio inbound webhook under one autocannon load, against an empty
 *    Node HTTP server and against Optline's, in the same run: p99 of each and
 *    their ratio, and every text answered 200 looked for in the database.
 *  - BENCH_TIMERS (100,000) timers due at one instant drained by
 *    BENCH_TIMER_WORKERS (4) worker processes: steps/s beside `pgbench -N`
 *    with as many clients, and the timers' lateness p50 / p99.
 *
 * Each figure runs on a database of its own, dropped afterwards. A benchmark,
 * not a test: nothing here fails on a slow machine.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedServer } from '@/lib/db/embedded-server';
import { freshDatabase } from './fresh-database';
import { approvedActiveVersion, makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { parseEnv } from '@/lib/env';
import { createServices } from '@/lib/runtime/services';
import { grant } from '@/lib/runtime/testing/engine-harness';
import { spawnWorkerProcess } from '@/lib/runtime/testing/worker-process';

const START = '2026-03-10T15:00:00Z'; // 10:00 in New York: every send allowed
const RUNS = Number(process.env.BENCH_RUNS ?? 3000);
/** Run starts asked for at once, as an API server's concurrent requests would (BENCH_STARTERS). */
const STARTERS = Number(process.env.BENCH_STARTERS ?? 64);
const REPLIES = Number(process.env.BENCH_REPLIES ?? 200);
/**
 * Runs through each set of worker processes before the steps figure is
 * measured (BENCH_WARMUP_RUNS), as the webhook figure warms its server: a
 * figure of processes in use, not of code still being compiled. Measured on
 * a 2-core machine, the 4 worker processes' CPU for the same 3,000 runs fell
 * from 3.97 s after 300 runs of warm-up to 2.51 / 2.54 / 1.88 / 1.49 s after
 * 1,500 / 3,000 / 6,000 / 12,000 (each process sees a quarter of the jobs, so
 * V8 optimises its code four times later than one process's).
 */
const WARMUP_RUNS = Number(process.env.BENCH_WARMUP_RUNS ?? 12000);
/** Jobs each worker process runs at once (BENCH_WORKER_CONCURRENCY; default, the product's: WORKER_CONCURRENCY's default). */
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? parseEnv({}).worker.concurrency);
/** Worker processes draining the timers (BENCH_TIMER_WORKERS, default 4). */
const TIMER_WORKERS = Number(process.env.BENCH_TIMER_WORKERS ?? 4);

const serverUrl =
  process.env.DATABASE_URL ??
  (await startEmbeddedServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'optline-bench-pg-')), ephemeral: true })).url('postgres');
const env = parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET });

const flow = (id: string, nodes: object[], edges: [string, string, string][]) => ({
  schemaVersion: 1,
  id,
  name: id,
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [{ id: 'start', type: 'trigger', data: { kind: 'api' } }, ...nodes, { id: 'done', type: 'end' }],
  edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
});

const SEND = flow(
  'send',
  [
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'note', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: your statement is ready.' } },
  ],
  [
    ['start', 'next', 'check'],
    ['check', 'granted', 'note'],
    ['check', 'missing', 'done'],
    ['note', 'sent', 'done'],
    ['note', 'failed', 'done'],
  ],
);

const ASK = flow(
  'ask',
  [
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'ask',
      type: 'message.ask',
      data: { purpose: 'informational', body: 'Acme Dental: reply with any word. Reply STOP to opt out.', timeout: 'P1D' },
    },
    { id: 'answer', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: thanks, got it.', outsideHours: 'send' } },
  ],
  [
    ['start', 'next', 'check'],
    ['check', 'granted', 'ask'],
    ['check', 'missing', 'done'],
    ['ask', 'reply', 'answer'],
    ['ask', 'timeout', 'done'],
    ['answer', 'sent', 'done'],
    ['answer', 'failed', 'done'],
  ],
);

/** BENCH_CPU_PROF=<dir>: each worker process, and each server of the webhook figure, writes a V8 CPU profile there when it stops. */
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];

function workers(url: string, count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    spawnWorkerProcess(url, { clockStart: START, nodeArgs: profile, env: { WORKER_CONCURRENCY: String(CONCURRENCY) } }),
  );
}

/** The machine's CPU time so far, idle and in all, from /proc/stat (Linux; undefined elsewhere). */
function machineTimes(): { idle: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { idle: cpu[3]! + cpu[4]!, total: cpu.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** Each process's CPU seconds so far and its command name, by pid (Linux /proc; empty elsewhere). */
function processTimes(): Map<number, { comm: string; seconds: number }> {
  const times = new Map<number, { comm: string; seconds: number }>();
  const tick = 100; // USER_HZ on Linux
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return times;
  }
  for (const pid of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    times.set(Number(pid), {
      comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      seconds: (Number(fields[11]) + Number(fields[12])) / tick,
    });
  }
  return times;
}

/**
 * The CPU used between two `processTimes` readings, by group: the pids named
 * in `named`, Postgres's processes, this process ("bench"), the rest. A
 * process that ended between them is left out (its last use is unknown).
 */
function cpuUsed(
  before: Map<number, { comm: string; seconds: number }>,
  after: Map<number, { comm: string; seconds: number }>,
  named: Record<string, number[]>,
): string {
  const groups = new Map<string, number>();
  for (const [pid, now] of after) {
    const group =
      Object.entries(named).find(([, pids]) => pids.includes(pid))?.[0] ??
      (pid === process.pid ? 'bench' : now.comm === 'postgres' ? 'postgres' : 'other');
    groups.set(group, (groups.get(group) ?? 0) + now.seconds - (before.get(pid)?.seconds ?? 0));
  }
  return [...groups].map(([group, t]) => `${group} ${t.toFixed(2)} s`).join(', ');
}

async function until(check: () => Promise<boolean>, pollMs = 20): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, pollMs));
}

async function live(pool: pg.Pool, doc: { id: string }): Promise<string> {
  return (await approvedActiveVersion(pool, doc, doc.id, { author: 'bench-author', reviewer: 'bench-reviewer' })).id;
}

async function contacts(pool: pg.Pool, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // Numbers of their own (the test fixtures' run out at 10,000): +1 212 7xx xxxx.
    const c = await makeContact(pool, { zone: 'America/New_York', phone: `+12127${String(i).padStart(6, '0')}` });
    await grant(pool, c.id, 'informational', '2026-01-01T00:00:00Z');
    ids.push(c.id);
  }
  return ids;
}

/** Steps committed per second by `count` worker processes: run starts plus every step stored after. */
async function stepsPerSecond(count: number): Promise<number> {
  const db = await freshDatabase(serverUrl);
  const procs = workers(db.url, count);
  try {
    const version = await live(db.pool, SEND);
    const all = await contacts(db.pool, WARMUP_RUNS + RUNS);
    await until(
      async () => (await db.pool.query('select count(*)::int as n from optline_workers')).rows[0].n >= count * (CONCURRENCY + 1),
      100,
    );
    const { engine } = createServices(db.pool, env, () => new Date(START));
    const stepsSoFar = async () =>
      (await db.pool.query(`select count(*)::int + coalesce(sum(version), 0)::int as n from runs`)).rows[0].n as number;
    // Warm-up, not measured: the same runs through the same processes first.
    await Promise.all(all.slice(0, WARMUP_RUNS).map((contactId) => engine.startRun({ flowVersionId: version, contactId })));
    await until(async () => (await db.pool.query(`select count(*)::int as n from runs where status = 'active'`)).rows[0].n === 0);
    const warmSteps = await stepsSoFar();
    const ids = all.slice(WARMUP_RUNS);
    const t0 = performance.now();
    const mono0 = process.hrtime.bigint() / 1000n;
    const cpu0 = process.cpuUsage();
    const machine0 = machineTimes();
    const times0 = processTimes();
    let next = 0;
    await Promise.all(
      Array.from({ length: STARTERS }, async () => {
        while (next < ids.length) await engine.startRun({ flowVersionId: version, contactId: ids[next++]! });
      }),
    );
    const started = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const machine1 = machineTimes();
    await until(async () => (await db.pool.query(`select count(*)::int as n from runs where status = 'active'`)).rows[0].n === 0);
    if (process.env.BENCH_VERBOSE) {
      const busy = (cpu.user + cpu.system) / 1000 / (started - t0);
      const idle =
        machine0 && machine1
          ? ` and the machine's cores idle ${(((machine1.idle - machine0.idle) / (machine1.total - machine0.total)) * 100).toFixed(0)}%`
          : '';
      const used = cpuUsed(times0, processTimes(), { workers: procs.map((p) => p.pid!) });
      console.log(
        `${count} workers: ${ids.length} runs started in ${((started - t0) / 1000).toFixed(1)} s (the starting process on a core ${(busy * 100).toFixed(0)}% of that time${idle}), all done ${((performance.now() - started) / 1000).toFixed(1)} s later; CPU used: ${used}`,
      );
    }
    if (process.env.BENCH_CPU_PROF) console.log(`measured window (µs, the profiles' clock): ${mono0} ${process.hrtime.bigint() / 1000n}`);
    const seconds = (performance.now() - t0) / 1000;
    // Every stored step bumps its run's version: the run's first snapshot plus each step after it (the warm-up's left out).
    const steps = (await stepsSoFar()) - warmSteps;
    return steps / seconds;
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}

/** `pgbench -N` (the simple-update, no-branches script) with `clients` clients for 10 s. */
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

/** Reply → the next text sent, one contact at a time, with one worker process. */
async function replyLatency(): Promise<{ p50: number; p99: number }> {
  const db = await freshDatabase(serverUrl);
  const procs = workers(db.url, 1);
  try {
    const version = await live(db.pool, ASK);
    const ids = await contacts(db.pool, REPLIES);
    const { engine } = createServices(db.pool, env, () => new Date(START));
    for (const id of ids) await engine.startRun({ flowVersionId: version, contactId: id });
    await until(
      async () => (await db.pool.query(`select count(*)::int as n from messages where status = 'sent'`)).rows[0].n === REPLIES,
      50,
    );
    const phones = (await db.pool.query<{ id: string; phone_e164: string }>('select id, phone_e164 from contacts')).rows;
    const latencies: number[] = [];
    for (const [i, c] of phones.entries()) {
      const t0 = performance.now();
      // As the webhook does it: stored with its job; the worker classifies it, steps the run and sends.
      await engine.acceptInbound({ providerId: `SMbench${i}`, from: c.phone_e164, body: 'yes' });
      await until(
        async () =>
          (
            await db.pool.query(
              `select 1 from messages where contact_id = $1 and status = 'sent' and body = 'Acme Dental: thanks, got it.'`,
              [c.id],
            )
          ).rowCount === 1,
        1,
      );
      latencies.push(performance.now() - t0);
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!;
    return { p50: +at(0.5).toFixed(1), p99: +at(0.99).toFixed(1) };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}

const WAIT = flow(
  'wait',
  [{ id: 'pause', type: 'wait.delay', data: { duration: 'PT1H' } }],
  [
    ['start', 'next', 'pause'],
    ['pause', 'next', 'done'],
  ],
);
/** Timers falling due at one instant (BENCH_TIMERS; the figure the issues ask for is 100,000). */
const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);

/** TIMERS runs whose timers fall due at one instant, drained by TIMER_WORKERS worker processes: steps/s and lateness. */
async function timerDrain(): Promise<{ timers: number; stepsPerSecond: number; latenessP50: number; latenessP99: number }> {
  const db = await freshDatabase(serverUrl);
  try {
    const version = await live(db.pool, WAIT);
    const ids = await contacts(db.pool, Math.min(TIMERS, 500));
    const { engine } = createServices(db.pool, env, () => new Date(START));
    let next = 0;
    await Promise.all(
      Array.from({ length: STARTERS }, async () => {
        while (next < TIMERS) {
          const i = next++;
          await engine.startRun({ flowVersionId: version, contactId: ids[i % ids.length]! });
        }
      }),
    );
    const procs = workers(db.url, TIMER_WORKERS);
    try {
      await until(
        async () => (await db.pool.query('select count(*)::int as n from optline_workers')).rows[0].n >= TIMER_WORKERS * (CONCURRENCY + 1),
        100,
      );
      // Every timer falls due now.
      const {
        rows: [due],
      } = await db.pool.query(`update graphile_worker._private_jobs set run_at = now() returning now() as at`);
      const dueAt = (due.at as Date).getTime();
      await until(async () => (await db.pool.query(`select count(*)::int as n from runs where status = 'active'`)).rows[0].n === 0, 100);
      const { rows } = await db.pool.query<{ ms: number }>(
        `select extract(epoch from processed_at) * 1000 as ms from run_events where kind = 'timer' order by processed_at`,
      );
      const lateness = rows.map((r) => Number(r.ms) - dueAt).sort((a, b) => a - b);
      const at = (p: number) => lateness[Math.min(lateness.length - 1, Math.ceil(p * lateness.length) - 1)]!;
      const applied = (await db.pool.query(`select count(*)::int as n from run_events where kind = 'timer' and outcome = 'applied'`))
        .rows[0].n as number;
      const seconds = lateness.at(-1)! / 1000;
      return {
        timers: applied,
        stepsPerSecond: Math.round(applied / seconds),
        latenessP50: Math.round(at(0.5)),
        latenessP99: Math.round(at(0.99)),
      };
    } finally {
      for (const p of procs) p.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await db.drop();
  }
}

/** One server under the webhook load: autocannon's figures for the measured 10 s. */
interface LoadFigure {
  requests: number;
  ok: number;
  p50: number;
  p99: number;
  rate: number;
}

/**
 * Which server answers Optline's webhooks in the figure (BENCH_WEBHOOK_SERVER):
 * `app`, the production app server (server.ts over the build, as `npm start`
 * and e2e/serve.ts run it), when a build exists; else `listener`, a plain
 * Node server running the code server.ts runs for a webhook before Next.js
 * sees it (bench/webhook-server.ts): the same answer, without a build.
 */
const WEBHOOK_SERVER = process.env.BENCH_WEBHOOK_SERVER ?? (existsSync('.next/BUILD_ID') ? 'app' : 'listener');
const WEBHOOK_RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);

/**
 * The Twilio inbound webhook under autocannon on loopback (50 connections,
 * WEBHOOK_RATE requests/s in all, every request a signed inbound text as
 * Twilio signs it), after 3 s of the same load to warm the server up: first
 * against an empty Node HTTP server (the baseline: reads the body, answers
 * the same 200), then against Optline's, each in a process of its own.
 * Afterwards every text Optline answered 200 is looked for in the database.
 */
async function webhookLoad(): Promise<{
  server: string;
  empty: LoadFigure;
  optline: LoadFigure;
  answered: number;
  stored: number;
  lost: number;
}> {
  const { default: autocannon } = await import('autocannon');
  const twilio = (await import('twilio')).default;
  if (WEBHOOK_SERVER === 'app' && !existsSync('.next/BUILD_ID')) throw new Error('BENCH_WEBHOOK_SERVER=app needs a build: npx next build');
  const db = await freshDatabase(serverUrl);
  const path = '/api/webhooks/twilio/inbound';
  const token = 'bench-twilio-auth-token-000000000';
  const phones: string[] = [];
  for (let i = 0; i < 500; i++) phones.push((await makeContact(db.pool)).phone!);
  let n = 0;

  /**
   * WEBHOOK_RATE signed inbound texts a second for `seconds`; `answered` gets the MessageSid of each answered 200.
   * The latencies (request written → response read, ms) of the 200s come from autocannon's response events:
   * its own percentiles are whole milliseconds, too coarse for a server that answers in less than one.
   */
  const load = (publicUrl: string, seconds: number, answered: string[], latencies: number[] = []) => {
    const run = autocannon({
      url: `${publicUrl}${path}`,
      connections: 50,
      duration: seconds,
      overallRate: WEBHOOK_RATE,
      requests: [
        {
          method: 'POST',
          setupRequest: (req, context) => {
            const i = n++;
            const params = {
              MessageSid: `SM${i.toString(16).padStart(32, '0')}`,
              From: phones[i % phones.length]!,
              To: '+12025550100',
              Body: 'hello',
            };
            // One request at a time per connection: the connection's context names the one in flight.
            (context as { sid?: string }).sid = params.MessageSid;
            return {
              ...req,
              headers: {
                'content-type': 'application/x-www-form-urlencoded',
                'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${publicUrl}${path}`, params),
              },
              body: new URLSearchParams(params).toString(),
            };
          },
          onResponse: (status, _body, context) => {
            if (status === 200) answered.push((context as { sid: string }).sid);
          },
        },
      ],
    });
    // Without a callback autocannon answers its instance (an EventEmitter), which is also a promise of the result.
    (run as typeof run & EventEmitter).on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
    });
    return run;
  };

  /** Starts `args` with `env` in a process group of its own, waits until it answers HTTP, runs the warm-up and the measured load, stops it. */
  const measure = async (args: string[], port: number, extraEnv: Record<string, string>, answered: string[]): Promise<LoadFigure> => {
    const publicUrl = `http://localhost:${port}`;
    const server = spawn(process.execPath, [...profile, '--import', 'tsx', ...args], {
      env: { ...process.env, PORT: String(port), PUBLIC_URL: publicUrl, ...extraEnv },
      stdio: 'ignore',
      detached: true,
    });
    try {
      await until(
        async () =>
          fetch(`${publicUrl}/flows`).then(
            (r) => r.status > 0,
            () => false,
          ),
        200,
      );
      // Warm-up, not measured: a server in use has its connections open and its code compiled (as bench:editor asks for its page first).
      await load(publicUrl, 3, answered);
      const times0 = processTimes();
      const latencies: number[] = [];
      const result = await load(publicUrl, 10, answered, latencies);
      latencies.sort((a, b) => a - b);
      const at = (p: number) => +latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!.toFixed(2);
      if (process.env.BENCH_VERBOSE)
        console.log(`webhook (${args.join(' ')}): CPU used while measured: ${cpuUsed(times0, processTimes(), { server: [server.pid!] })}`);
      return {
        requests: result.requests.total,
        ok: result['2xx'],
        p50: at(0.5),
        p99: at(0.99),
        rate: Math.round(result.requests.average),
      };
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
      await new Promise((r) => setTimeout(r, 1000));
    }
  };

  try {
    const empty = await measure(['bench/webhook-server.ts', 'empty'], 3241, {}, []);
    const answered: string[] = [];
    const optline = await measure(
      WEBHOOK_SERVER === 'app' ? ['server.ts'] : ['bench/webhook-server.ts', 'listener'],
      3240,
      {
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        APP_SECRET: TEST_APP_SECRET,
        OPTLINE_WORKER: 'off',
        TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: token,
        TWILIO_MESSAGING_SERVICE_SID: `MG${'2'.repeat(32)}`,
      },
      answered,
    );
    // Stored in the inbox by the webhook itself (no worker runs here: the classification jobs wait).
    const {
      rows: [check],
    } = await db.pool.query<{ stored: number; lost: number }>(
      `select (select count(*)::int from inbound_texts) as stored,
              (select count(*)::int from unnest($1::text[]) as a(sid) where not exists (select 1 from inbound_texts t where t.provider_sid = a.sid)) as lost`,
      [answered],
    );
    return { server: WEBHOOK_SERVER, empty, optline, answered: answered.length, stored: check!.stored, lost: check!.lost };
  } finally {
    await db.drop();
  }
}

/** `BENCH_ONLY=steps,latency,webhook,timers` runs some figures only; `BENCH_WORKERS=1,2,4` the worker processes of the steps figure. */
const only = new Set((process.env.BENCH_ONLY ?? 'steps,latency,webhook,timers').split(','));
const results: Record<string, unknown> = {};
console.log(`Durable engine on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'an embedded server'} (Node ${process.version})`);
if (only.has('steps')) {
  const rows: Record<string, string | number>[] = [];
  for (const count of (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number)) {
    const steps = await stepsPerSecond(count);
    const tps = await pgbench(count);
    rows.push({
      workers: count,
      'flow steps/s': Math.round(steps),
      'pgbench -N tps (same clients)': typeof tps === 'number' ? Math.round(tps) : tps,
      ratio: typeof tps === 'number' ? +(steps / tps).toFixed(2) : '-',
    });
  }
  console.log(`Flow steps committed per second (${RUNS} runs per figure, after ${WARMUP_RUNS} runs of warm-up)`);
  console.table(rows);
  results.steps = rows;
}
if (only.has('latency')) {
  const latency = await replyLatency();
  console.log(`Inbound reply → next text sent (${REPLIES} replies, one worker process): p50 ${latency.p50} ms, p99 ${latency.p99} ms`);
  results.replyToSend = latency;
}
if (only.has('webhook')) {
  const hook = await webhookLoad();
  const server =
    hook.server === 'app' ? 'the app server (server.ts over the build)' : "server.ts's webhook listener without Next.js (no build)";
  console.log(
    `Twilio inbound webhook: autocannon, 50 connections, ${WEBHOOK_RATE} signed requests/s for 10 s after 3 s of warm-up, against an empty Node HTTP server (the baseline) and Optline (${server})`,
  );
  console.table(
    [
      ['empty Node server', hook.empty],
      ['Optline', hook.optline],
    ].map(([name, f]) => {
      const figure = f as LoadFigure;
      return {
        server: name as string,
        'requests/s': figure.rate,
        sent: figure.requests,
        'answered 200': figure.ok,
        'p50 ms': figure.p50,
        'p99 ms': figure.p99,
      };
    }),
  );
  console.log(
    `p99 ratio Optline / empty server: ${(hook.optline.p99 / hook.empty.p99).toFixed(2)}; texts answered 200 (warm-up and measured): ${hook.answered}, stored: ${hook.stored}, answered but not stored: ${hook.lost}`,
  );
  results.webhook = { ...hook, p99Ratio: +(hook.optline.p99 / hook.empty.p99).toFixed(2) };
}
if (only.has('timers')) {
  const drain = await timerDrain();
  const tps = await pgbench(TIMER_WORKERS);
  const ratio = typeof tps === 'number' ? +(drain.stepsPerSecond / tps).toFixed(2) : undefined;
  console.log(
    `${drain.timers} timers due at one instant, ${TIMER_WORKERS} worker processes (concurrency ${CONCURRENCY}): ${drain.stepsPerSecond} steps/s while draining, lateness p50 ${drain.latenessP50} ms, p99 ${drain.latenessP99} ms; pgbench -N with ${TIMER_WORKERS} clients: ${typeof tps === 'number' ? `${Math.round(tps)} tps, ratio ${ratio}` : tps}`,
  );
  results.timerDrain = { ...drain, pgbenchClients: TIMER_WORKERS, pgbenchTps: typeof tps === 'number' ? Math.round(tps) : tps, ratio };
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/runtime.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
