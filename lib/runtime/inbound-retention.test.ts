import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { INBOUND_TEXT_RETENTION_DAYS, TASKS } from './engine';
import { engineHarness, quietLogger } from './testing/engine-harness';

const database = useTestDatabase();
const DAY = 86_400_000;

beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
});

describe('the inbound texts inbox', () => {
  it(`deletes, in its daily job, the texts received more than ${INBOUND_TEXT_RETENTION_DAYS} days ago and processed; an unprocessed text stays whatever its age`, async () => {
    const t = engineHarness(database().pool);
    t.at('2026-06-30T03:17:00Z');
    const now = t.clock().getTime();
    const text = (sid: string, ageMs: number, processed: boolean) =>
      t.pool.query(
        `insert into inbound_texts (provider_sid, provider, phone_hash, body, received_at, processed_at, outcome) values ($1, 'sandbox', $2, 'hello', $3, $4, $5)`,
        [sid, 'a'.repeat(64), new Date(now - ageMs), processed ? new Date(now - ageMs + 1000) : null, processed ? 'unknown-contact' : null],
      );
    await text('SMold', 31 * DAY, true);
    await text('SMjust-kept', 30 * DAY - 60_000, true);
    await text('SMrecent', DAY, true);
    await text('SMold-unprocessed', 40 * DAY, false);

    // As the crontab enqueues it.
    await t.pool.query('select graphile_worker.add_job($1)', [TASKS.pruneInbound]);
    await t.work();

    const { rows } = await t.pool.query('select provider_sid from inbound_texts order by provider_sid');
    expect(rows.map((r) => r.provider_sid)).toEqual(['SMjust-kept', 'SMold-unprocessed', 'SMrecent']);
    expect(await t.engine.pruneInboundTexts()).toBe(0);
  });
});
