import { Logger } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import optinNotice from '@/workflows/optin-notice.json';
import { messageRepository } from '@/lib/db/message-repository';
import { approvedActiveVersion, makeContact, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { createPool } from '@/lib/db/pool';
import { parseEnv } from '@/lib/env';
import { TASKS } from './engine';
import { createEngine, CRON_ITEMS, startWorker, withoutPoolSizeWarning } from './worker';

const database = useTestDatabase();

/** Polls until `check` holds: waiting for other processes' work, never for time itself. */
async function eventually<T>(check: () => Promise<T | undefined>, limitMs = 15_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the worker', () => {
  it('runs a run started through the engine, woken by the database, with the sandbox provider', async () => {
    const { pool } = database();
    const env = parseEnv({ APP_SECRET: TEST_APP_SECRET });
    const runner = await startWorker({ pool, env, concurrency: 2, quiet: true, clock: () => new Date('2026-03-10T15:00:00Z') });
    try {
      const version = await approvedActiveVersion(pool, optinNotice, 'optin');
      const contact = await makeContact(pool, { zone: 'America/New_York' });
      const engine = createEngine(pool, env, () => new Date('2026-03-10T15:00:00Z'));
      await engine.startRun({ flowVersionId: version.id, contactId: contact.id });
      const sent = await eventually(async () =>
        // Sent, or already reported delivered by the sandbox (it reports statuses as Twilio does).
        (await messageRepository(pool).listForContact(contact.id)).find((m) => m.status === 'sent' || m.status === 'delivered'),
      );
      expect(sent.body).toMatch(/^Acme Dental: For your convenience and safety/);
      // Its crontab holds the daily upkeep, under the engine's task.
      const { rows } = await pool.query('select identifier from graphile_worker._private_known_crontabs');
      expect(rows.map((r) => r.identifier)).toEqual([TASKS.pruneInbound]);
      expect(CRON_ITEMS.map((c) => [c.task, c.match])).toEqual([[TASKS.pruneInbound, '17 3 * * *']]);
    } finally {
      await runner.stop();
    }
  });
});

describe('the worker with many jobs at once', () => {
  it('runs 64 jobs at once on a pool of 3 connections: a job never holds one connection while it waits for another', async () => {
    const { pool, url } = database();
    const env = parseEnv({ APP_SECRET: TEST_APP_SECRET });
    const small = createPool(url, 3);
    const clock = () => new Date('2026-03-10T15:00:00Z');
    const runner = await startWorker({ pool: small, env, concurrency: 64, quiet: true, clock });
    try {
      const version = await approvedActiveVersion(pool, optinNotice, 'optin-many');
      const contacts = await Promise.all(Array.from({ length: 40 }, () => makeContact(pool, { zone: 'America/New_York' })));
      const engine = createEngine(pool, env, clock);
      await Promise.all(contacts.map((c) => engine.startRun({ flowVersionId: version.id, contactId: c.id })));
      const sent = await eventually(async () => {
        const {
          rows: [r],
        } = await pool.query(
          `select count(distinct contact_id)::int as n from messages where status in ('sent', 'delivered') and contact_id = any($1)`,
          [contacts.map((c) => c.id)],
        );
        return r.n === contacts.length ? r.n : undefined;
      }, 20_000);
      expect(sent).toBe(40);
    } finally {
      await runner.stop();
      await small.end();
    }
  });
});

describe("the worker's heartbeat", () => {
  it('registers its workers again when a peer took them for dead (a stall longer than deadAfterMs), so a later crash is still recovered', async () => {
    const { pool } = database();
    const env = parseEnv({ APP_SECRET: TEST_APP_SECRET });
    // This file's other runners ran in this process too: this runner's workers are the ones registered after it starts.
    const others = (
      await pool.query<{ worker_id: string }>(`select worker_id from optline_workers where process like '%:' || $1`, [String(process.pid)])
    ).rows.map((r) => r.worker_id);
    const runner = await startWorker({ pool, env, concurrency: 2, quiet: true, heartbeatMs: 50, deadAfterMs: 60_000 });
    const registered = async () =>
      (
        await pool.query<{ worker_id: string }>(
          `select worker_id from optline_workers where process like '%:' || $1 and not (worker_id = any($2)) order by worker_id`,
          [String(process.pid), others],
        )
      ).rows.map((r) => r.worker_id);
    try {
      // Its pool and its two workers.
      const ids = await eventually(async () => ((await registered()).length === 3 ? registered() : undefined));
      // What a peer's beat does to a worker whose beat is older than deadAfterMs: forgets it (and unlocks its jobs).
      await pool.query('delete from optline_workers where worker_id = any($1)', [ids]);
      expect(await eventually(async () => ((await registered()).length === 3 ? registered() : undefined))).toEqual(ids);
    } finally {
      await runner.stop();
    }
  });
});

describe("the worker's log", () => {
  it("drops graphile-worker's pool-smaller-than-concurrency warning (a job here holds one connection at most) and passes every other line on", () => {
    const lines: string[] = [];
    const logger = new Logger(withoutPoolSizeWarning(() => (level, message) => lines.push(`${level}: ${message}`)));
    logger.warn('WARNING: having maxPoolSize (10) smaller than concurrency (256) may lead to non-optimal performance.');
    logger.warn('Your job batch size (8) is smaller than your concurrency setting (16)');
    logger.info('Worker connected and looking for jobs...');
    expect(lines).toEqual([
      'warning: Your job batch size (8) is smaller than your concurrency setting (16)',
      'info: Worker connected and looking for jobs...',
    ]);
  });
});
