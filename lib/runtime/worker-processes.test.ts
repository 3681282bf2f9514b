import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { approvedActiveVersion, makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { parseEnv } from '@/lib/env';
import { grant } from './testing/engine-harness';
import { eventually, spawnWorkerProcess } from './testing/worker-process';
import { createEngine } from './worker';

/**
 * Real worker processes (`scripts/worker.ts`, as `npm run worker` starts
 * them) on one database: every event applied once, no text sent twice, and
 * a worker killed with SIGKILL mid-work loses nothing.
 */

const database = useTestDatabase();
// 10:00 in New York on a Tuesday: the workers' clock starts here (OPTLINE_CLOCK_START).
const START = '2026-03-10T15:00:00Z';

const FLOW = {
  schemaVersion: 1,
  id: 'two-texts',
  name: 'Two texts',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'first', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: your statement is ready.' } },
    { id: 'pause', type: 'wait.delay', data: { duration: 'PT1S' } },
    { id: 'second', type: 'message.send', data: { purpose: 'informational', body: 'Acme Dental: reply HELP for help, STOP to opt out.' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e2', source: 'check', sourceHandle: 'granted', target: 'first' },
    { id: 'e3', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e4', source: 'first', sourceHandle: 'sent', target: 'pause' },
    { id: 'e5', source: 'first', sourceHandle: 'failed', target: 'done' },
    { id: 'e6', source: 'pause', sourceHandle: 'next', target: 'second' },
    { id: 'e7', source: 'second', sourceHandle: 'sent', target: 'done' },
    { id: 'e8', source: 'second', sourceHandle: 'failed', target: 'done' },
  ],
};

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function worker(url: string): ChildProcess {
  const child = spawnWorkerProcess(url, {
    clockStart: START,
    env: { WORKER_CONCURRENCY: '4', OPTLINE_WORKER_HEARTBEAT_MS: '200', OPTLINE_WORKER_DEAD_AFTER_MS: '1500' },
  });
  children.push(child);
  return child;
}

/** Starts `n` runs of the two-text flow for `n` consenting contacts (in this process: no worker here). */
async function startRuns(n: number, flowId: string): Promise<string> {
  const { pool } = database();
  const version = await approvedActiveVersion(pool, FLOW, flowId);
  const engine = createEngine(pool, parseEnv({ NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET }), () => new Date(START));
  for (let i = 0; i < n; i++) {
    const contact = await makeContact(pool, { zone: 'America/New_York' });
    await grant(pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
    await engine.startRun({ flowVersionId: version.id, contactId: contact.id });
  }
  return version.id;
}

async function outcome(versionId: string) {
  const { pool } = database();
  const q = async (sql: string) => (await pool.query(sql, [versionId])).rows;
  const runs = await q(`select status, count(*)::int as n from runs where flow_version_id = $1 group by status`);
  // The sandbox reports each text delivered shortly after its send (as Twilio's callbacks come): a text at either status was sent.
  const messages = await q(
    `select case when m.status = 'delivered' then 'sent' else m.status end as status, m.error, count(*)::int as n
     from messages m join runs r on r.id = m.run_id where r.flow_version_id = $1 group by 1, m.error`,
  );
  const delivered = await q(
    `select count(*)::int as n from sandbox_texts s join messages m on m.id = s.message_id join runs r on r.id = m.run_id where r.flow_version_id = $1`,
  );
  const events = await q(
    `select e.outcome, count(*)::int as n from run_events e join runs r on r.id = e.run_id where r.flow_version_id = $1 group by e.outcome`,
  );
  return { runs, messages, delivered: delivered[0].n as number, events };
}

// Each test starts real worker processes (tsx, a pool each): seconds on a quiet machine, far more on a
// loaded 2-core CI box. The limit is for a hung test, not a speed check.
describe('worker processes on one database', { timeout: 180_000 }, () => {
  for (const count of [2, 4]) {
    it(`${count} workers: every event applied once, every text sent once`, async () => {
      const runs = 24;
      const versionId = await startRuns(runs, `parallel-${count}`);
      for (let i = 0; i < count; i++) worker(database().url);
      await eventually(async () => {
        const { rows } = await database().pool.query(`select count(*)::int as n from runs where flow_version_id = $1 and status = 'done'`, [
          versionId,
        ]);
        return rows[0].n === runs;
      });
      const o = await outcome(versionId);
      expect(o.runs).toEqual([{ status: 'done', n: runs }]);
      expect(o.messages).toEqual([{ status: 'sent', error: null, n: 2 * runs }]);
      expect(o.delivered).toBe(2 * runs);
      // Each run: two sends and one timer came in (the consent check is answered inside the step); each applied once, none left over.
      expect(o.events).toEqual([{ outcome: 'applied', n: 3 * runs }]);
    });
  }

  it('a worker killed with SIGKILL mid-work: another takes over, every run finishes, no text lost or sent twice', async () => {
    const runs = 40;
    const versionId = await startRuns(runs, 'killed');
    const doomed = worker(database().url);
    worker(database().url);
    await eventually(async () => {
      const { rows } = await database().pool.query(
        `select count(*)::int as n from messages m join runs r on r.id = m.run_id where r.flow_version_id = $1`,
        [versionId],
      );
      return rows[0].n >= 10;
    });
    doomed.kill('SIGKILL');
    worker(database().url);
    await eventually(async () => {
      const { rows } = await database().pool.query(`select count(*)::int as n from runs where flow_version_id = $1 and status = 'active'`, [
        versionId,
      ]);
      return rows[0].n === 0;
    });
    const o = await outcome(versionId);
    expect(o.runs).toEqual([{ status: 'done', n: runs }]);
    // Every text the sandbox received is recorded as sent; none is stuck half-way.
    const sent = o.messages.find((m) => m.status === 'sent')?.n ?? 0;
    expect(sent).toBe(o.delivered);
    expect(o.messages.filter((m) => m.status !== 'sent')).toEqual(
      o.messages.filter((m) => m.status === 'failed' && m.error === 'delivery unknown after a worker crash; not resent'),
    );
    expect(sent).toBe(2 * runs);
  }, 120_000);
});
