import { randomUUID } from 'node:crypto';
import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { quietLogger } from '@/lib/runtime/testing/engine-harness';
import { flowRepository } from './flow-repository';
import { withTransaction } from './queryable';
import { runRepository } from './run-repository';
import { StepWrites } from './step-writes';
import { makeContact } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const q = (sql: string, values: unknown[] = []) => db().pool.query(sql, values);
let counter = 0;

beforeAll(() => runMigrations({ pgPool: db().pool, logger: quietLogger }));

async function runs(n: number): Promise<string[]> {
  const id = `writes-${++counter}`;
  await flowRepository(db().pool).createFlow({ id, name: 'W', draft: {}, savedBy: 'user:1' });
  const v = await flowRepository(db().pool).saveVersion(id, { id }, 'user:1');
  const contact = await makeContact(db().pool);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { rows } = await q(`insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{"value":"start"}') returning id`, [
      v.id,
      contact.id,
    ]);
    ids.push(rows[0].id);
  }
  return ids;
}

const jobs = async (prefix: string) =>
  (
    await q(
      `select key, payload, (run_at - now()) > interval '50 minutes' as later from graphile_worker._private_jobs where key like $1 order by key`,
      [`${prefix}%`],
    )
  ).rows;

describe('StepWrites: the steps of a batch stored in one statement', () => {
  it('stores each run that moved (snapshot, status, its step count), the events processed, the moves and the jobs, and leaves unmoved runs alone', async () => {
    const [a, b, c] = await runs(3);
    const {
      rows: [event],
    } = await q(`insert into run_events (idempotency_key, kind, run_id, payload) values ('k1', 'timer', $1, '{}') returning id`, [a]);
    const at = new Date('2026-03-10T15:00:00Z');
    const w = new StepWrites();
    w.runRead(a!, 0, 'active');
    w.runRead(b!, 0, 'active');
    w.runRead(c!, 0, 'active');
    w.eventProcessed(String(event.id), 'applied');
    w.stepMoves(a!, 1, String(event.id), [{ from: 'start', to: 'wait', event: 'timer' }], at);
    w.stepMoves(a!, 2, null, [{ from: 'wait', to: 'done', event: 'consent.granted' }], at);
    w.runReached(a!, { value: 'done' }, 'done', 2); // two steps
    w.runReached(b!, { value: 'start' }, 'active', 0); // read, did not move
    w.runReached(c!, { value: 'start' }, 'done', 0); // ended where it began (done at its start)
    w.addJob('optline_perform_effect', { runId: a, n: 1 }, { key: `${a}:1:0` });
    w.addJob('optline_fire_timer', { runId: a }, { key: `${a}:wait`, delayMs: 3_600_000 });
    await withTransaction(db().pool, (tx) => w.flush(tx));

    const stored = (
      await q('select id, snapshot, status, version, ended_at is not null as ended from runs where id = any($1)', [[a, b, c]])
    ).rows;
    const byId = Object.fromEntries(stored.map((r) => [r.id, r]));
    expect(byId[a!]).toMatchObject({ snapshot: { value: 'done' }, status: 'done', version: 2, ended: true });
    expect(byId[b!]).toMatchObject({ snapshot: { value: 'start' }, status: 'active', version: 0, ended: false });
    expect(byId[c!]).toMatchObject({ status: 'done', version: 1, ended: true });
    expect((await q('select outcome, processed_at is not null as done from run_events where id = $1', [event.id])).rows).toEqual([
      { outcome: 'applied', done: true },
    ]);
    expect(
      (await q('select step, seq, event_id, event_type, from_node, to_node, at from run_steps where run_id = $1 order by step, seq', [a]))
        .rows,
    ).toEqual([
      { step: 1, seq: 0, event_id: String(event.id), event_type: 'timer', from_node: 'start', to_node: 'wait', at },
      { step: 2, seq: 0, event_id: null, event_type: 'consent.granted', from_node: 'wait', to_node: 'done', at },
    ]);
    expect(await jobs(a!)).toEqual([
      { key: `${a}:1:0`, payload: { runId: a, n: 1 }, later: false },
      { key: `${a}:wait`, payload: { runId: a }, later: true },
    ]);
  });

  it('cancels a timer scheduled earlier; a key cancelled then scheduled again is scheduled; one scheduled then cancelled is gone', async () => {
    const [r] = await runs(1);
    const first = new StepWrites();
    first.addJob('optline_fire_timer', { n: 'old' }, { key: `${r}:a` });
    first.addJob('optline_fire_timer', { n: 'old' }, { key: `${r}:b` });
    first.addJob('optline_fire_timer', { n: 'old' }, { key: `${r}:c` });
    await withTransaction(db().pool, (tx) => first.flush(tx));

    const second = new StepWrites();
    second.removeJob(`${r}:a`); // cancelled
    second.removeJob(`${r}:b`); // cancelled, then armed again
    second.addJob('optline_fire_timer', { n: 'new' }, { key: `${r}:b` });
    second.addJob('optline_fire_timer', { n: 'new' }, { key: `${r}:d` }); // armed, then cancelled in the same batch
    second.removeJob(`${r}:d`);
    await withTransaction(db().pool, (tx) => second.flush(tx));
    expect((await jobs(r!)).map((j) => [j.key, j.payload.n])).toEqual([
      [`${r}:b`, 'new'],
      [`${r}:c`, 'old'],
    ]);
  });

  it('inserts the runs started in the batch with the state they reached, their moves and jobs in the same statement', async () => {
    const id = `writes-${++counter}`;
    await flowRepository(db().pool).createFlow({ id, name: 'W', draft: {}, savedBy: 'user:1' });
    const v = await flowRepository(db().pool).saveVersion(id, { id }, 'user:1');
    const contact = await makeContact(db().pool);
    const [moved, ended, idle] = [randomUUID(), randomUUID(), randomUUID()];
    const at = new Date('2026-03-10T15:00:00Z');
    const w = new StepWrites();
    for (const run of [moved, ended, idle]) w.runStarted({ id: run, flowVersionId: v.id, contactId: contact.id, vars: { run } });
    w.stepMoves(
      moved,
      0,
      null,
      [
        { from: null, to: 'start', event: 'start' },
        { from: 'start', to: 'check', event: 'start' },
      ],
      at,
    );
    w.stepMoves(moved, 1, null, [{ from: 'check', to: 'note', event: 'consent.granted' }], at);
    w.runReached(moved, { value: 'note' }, 'active', 1);
    w.runReached(ended, { value: 'done' }, 'done', 0); // ended at its start
    w.runReached(idle, { value: 'start' }, 'active', 0); // waits where it began
    w.addJob('optline_perform_effect', { runId: moved }, { key: `${moved}:1:0` });
    await withTransaction(db().pool, (tx) => w.flush(tx));

    const { rows } = await q(
      'select id, flow_version_id, contact_id, vars, snapshot, status, version, ended_at is not null as ended from runs where id = any($1)',
      [[moved, ended, idle]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[moved]).toEqual({
      id: moved,
      flow_version_id: v.id,
      contact_id: contact.id,
      vars: { run: moved },
      snapshot: { value: 'note' },
      status: 'active',
      version: 1,
      ended: false,
    });
    expect(byId[ended]).toMatchObject({ snapshot: { value: 'done' }, status: 'done', version: 1, ended: true });
    expect(byId[idle]).toMatchObject({ snapshot: { value: 'start' }, status: 'active', version: 0, ended: false });
    expect((await q('select step, seq, to_node from run_steps where run_id = $1 order by step, seq', [moved])).rows).toEqual([
      { step: 0, seq: 0, to_node: 'start' },
      { step: 0, seq: 1, to_node: 'check' },
      { step: 1, seq: 0, to_node: 'note' },
    ]);
    expect(await jobs(moved)).toHaveLength(1);
  });

  it('writes nothing for a batch that changed nothing', async () => {
    const [r] = await runs(1);
    const w = new StepWrites();
    w.runRead(r!, 0, 'active');
    w.runReached(r!, { value: 'start' }, 'active', 0);
    expect(w.empty).toBe(true);
    await withTransaction(db().pool, (tx) => w.flush(tx));
    expect((await q('select version from runs where id = $1', [r])).rows[0].version).toBe(0);
  });

  it('locks the runs of a batch and adds each inbox event once (a key seen before is not added again)', async () => {
    const [a, b] = await runs(2);
    const repo = runRepository(db().pool);
    const events = [
      { key: 'lock-1', kind: 'timer' as const, runId: a!, event: { type: 'x' } },
      { key: 'lock-2', kind: 'timer' as const, runId: b!, event: { type: 'y' } },
    ];
    const first = await withTransaction(db().pool, (tx) => runRepository(tx).addInboxEventsAndLockRuns(events, [b!, a!, a!]));
    expect([...first.added].sort()).toEqual(['lock-1', 'lock-2']);
    expect(first.runs.map((r) => r.id)).toEqual([a!, b!].sort());
    const again = await withTransaction(db().pool, (tx) => runRepository(tx).addInboxEventsAndLockRuns(events.slice(0, 1), [a!]));
    expect([...again.added]).toEqual([]);
    const inbox = await repo.unprocessedEventsOf([a!, b!]);
    expect(inbox.get(a!)?.map((e) => e.payload.event.type)).toEqual(['x']);
    expect(inbox.get(b!)?.map((e) => e.payload.event.type)).toEqual(['y']);
    const none = await withTransaction(db().pool, (tx) =>
      runRepository(tx).addInboxEventsAndLockRuns([], ['00000000-0000-4000-8000-000000000000']),
    );
    expect(none).toEqual({ added: new Set(), runs: [] });
  });
});
