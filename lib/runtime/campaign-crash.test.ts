import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/access/roles';
import { createCampaign, launchCampaign, MAX_PACE_PER_SECOND, previewCampaign } from '@/lib/campaigns/campaigns';
import { createSegment } from '@/lib/campaigns/segments';
import { grantAll } from '@/lib/runtime/testing/engine-harness';
import { contactKeys, contactRepository } from '@/lib/db/contact-repository';
import { approvedActiveVersion, TEST_APP_SECRET } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { TASKS } from './tasks';
import { VersionCache } from './versions';
import { eventually, oneTextFlow, spawnWorkerProcess } from './testing/worker-process';

/**
 * A campaign's enrolment survives a real worker process (`scripts/worker.ts`)
 * killed with SIGKILL mid-enrolment (issue #19): the job it held stays
 * locked by the dead worker until another worker, finding its heartbeat
 * stopped, unlocks it (lib/runtime/worker.ts, `forceUnlockWorkers`); the
 * retry redoes the batch. Every contact is enrolled once, started once and
 * texted once.
 */

const database = useTestDatabase();
const keys = contactKeys(TEST_APP_SECRET);
const marketer: Actor = { userId: 'u-ed', email: 'ed@x.test', name: 'Ed', role: 'editor', via: 'session' };
// 10:00 in New York on a Tuesday: every first text may go at once.
const START = '2026-03-10T15:00:00Z';
const CONTACTS = 2400;
// Contacts per enrolment job in the workers here: a dozen enrolment batches for the audience.
const BATCH = 200;
// Jobs a worker process runs at once: the sends of a start batch wait for shared group commits, so many at once go faster.
const CONCURRENCY = 32;

const ONE_TEXT = oneTextFlow('Acme Dental: your statement of {{vars.amount}} is ready.');

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** A worker process; its connections carry `name` as their application_name, so the test can see them in pg_stat_activity. */
function worker(name: string): ChildProcess {
  const url = new URL(database().url);
  url.searchParams.set('application_name', name);
  const child = spawnWorkerProcess(url.toString(), {
    clockStart: START,
    env: {
      WORKER_CONCURRENCY: String(CONCURRENCY),
      OPTLINE_CAMPAIGN_ENROL_BATCH: String(BATCH),
      // A worker whose beat stopped 1.5 s ago is dead: its jobs go back to the queue (default 30 s).
      OPTLINE_WORKER_HEARTBEAT_MS: '200',
      OPTLINE_WORKER_DEAD_AFTER_MS: '1500',
    },
  });
  children.push(child);
  return child;
}

async function one<T = number>(sql: string, values: unknown[] = []): Promise<T> {
  const { rows } = await database().pool.query(sql, values);
  return Object.values(rows[0] as Record<string, unknown>)[0] as T;
}

/** The ids of a process's registered workers (its pool's and each worker's: jobs are locked by the pool's). */
const workerIdsOf = (child: ChildProcess) =>
  database()
    .pool.query<{ worker_id: string }>(`select worker_id from optline_workers where process like '%:' || $1`, [String(child.pid)])
    .then((r) => r.rows.map((w) => w.worker_id));

/** CONTACTS consenting contacts tagged `tag`, each with an amount due; a segment of them and a previewed draft campaign at full pace. */
async function draftCampaign(tag: string, series: number): Promise<string> {
  const { pool } = database();
  for (let i = 0; i < CONTACTS; i += 1000) {
    const ids = await contactRepository(pool, keys).createContacts(
      Array.from({ length: Math.min(1000, CONTACTS - i) }, (_, k) => ({
        phone: `+1212${series}${String(i + k).padStart(6, '0')}`,
        zone: 'America/New_York',
        tags: [tag],
        attributes: { amount_due: `$${10 + ((i + k) % 90)}` },
      })),
    );
    await grantAll(pool, ids, 'informational', '2026-01-01T00:00:00Z');
  }
  const deps = { pool, keys, clock: () => new Date(START), versions: new VersionCache() };
  const segment = await createSegment(pool, marketer, { name: tag, filter: { field: 'tag', tag } });
  const campaign = await createCampaign(deps, marketer, {
    name: tag,
    flowId: 'one-text',
    audience: { segmentId: segment.id },
    schedule: { kind: 'now' },
    variables: { amount: 'amount_due' },
    pacePerSecond: MAX_PACE_PER_SECOND,
  });
  const preview = await previewCampaign(deps, marketer, campaign.id);
  expect(preview.send).toBe(CONTACTS);
  return campaign.id;
}

/** The campaign's status, its enrolments, and the enrolment jobs locked by the given workers. */
async function progress(campaignId: string, doomedIds: readonly string[]) {
  const { rows } = await database().pool.query<{ enrolled: number; locked: number; status: string }>(
    `select (select count(*)::int from campaign_enrolments where campaign_id = $1) as enrolled,
       (select count(*)::int from graphile_worker.jobs where task_identifier = $2 and locked_by = any($3::text[])) as locked,
       (select status from campaigns where id = $1) as status`,
    [campaignId, TASKS.campaignEnrol, doomedIds],
  );
  return rows[0]!;
}

/** A worker process that may be killed, once its pool and workers are registered (every job it locks is locked by a known, beating worker). */
async function doomedWorker(name: string): Promise<{ child: ChildProcess; name: string; ids: string[] }> {
  const child = worker(name);
  const ids = await eventually(async () => {
    const registered = await workerIdsOf(child);
    return registered.length > CONCURRENCY && registered;
  }, 30_000);
  return { child, name, ids };
}

/** Whether every enrolment of the campaign has a finished run. */
async function isDone(campaignId: string): Promise<boolean> {
  const open = await one(
    `select count(*)::int from campaign_enrolments e left join runs r on r.id = e.run_id where e.campaign_id = $1 and (r.id is null or r.status <> 'done')`,
    [campaignId],
  );
  return open === 0;
}

/**
 * Launches the campaign on the doomed worker and kills it with SIGKILL once
 * two batches or more, but not the whole audience, are enrolled while it
 * holds an enrolment job; then waits until its sessions are gone (none of its
 * transactions can commit any more) and tells whether the kill landed
 * mid-enrolment. `missed`: the worker enrolled everyone before a look saw it
 * mid-way; it is left alive and idle (the campaign done) for the next try.
 */
async function launchAndKill(
  campaignId: string,
  doomed: { child: ChildProcess; name: string; ids: string[] },
): Promise<{ outcome: 'midway' | 'missed' | 'late'; enrolled: number }> {
  const { pool } = database();
  await launchCampaign({ pool, keys, clock: () => new Date(START), versions: new VersionCache() }, marketer, campaignId);
  const seen = await eventually(
    async () => {
      const p = await progress(campaignId, doomed.ids);
      return (p.status !== 'enrolling' || (p.enrolled >= 2 * BATCH && p.enrolled < CONTACTS && p.locked > 0)) && p;
    },
    30_000,
    5,
  );
  if (seen.status !== 'enrolling') {
    await eventually(() => isDone(campaignId), 30_000, 100);
    return { outcome: 'missed', enrolled: seen.enrolled };
  }
  doomed.child.kill('SIGKILL');
  await new Promise((r) => doomed.child.once('exit', r));
  // Postgres ends the dead process's sessions (rolling back what they had not committed) once it sees their sockets closed.
  await eventually(
    async () => (await one(`select count(*)::int from pg_stat_activity where application_name = $1`, [doomed.name])) === 0,
    10_000,
    20,
  );
  const p = await progress(campaignId, doomed.ids);
  // `late`: the last batch's commit was under way when the kill came.
  return { outcome: p.status === 'enrolling' && p.enrolled < CONTACTS && p.locked > 0 ? 'midway' : 'late', enrolled: p.enrolled };
}

describe('a campaign whose worker is killed with SIGKILL mid-enrolment', () => {
  it('enrols, starts and texts every contact of the audience exactly once after another worker takes over', async () => {
    const { pool } = database();
    await approvedActiveVersion(pool, ONE_TEXT, 'one-text');
    // A fast machine may enrol the whole audience between two looks: then the kill missed, and a fresh campaign tries again.
    const campaigns: string[] = [];
    let doomed: Awaited<ReturnType<typeof doomedWorker>> | undefined;
    let killed: { campaignId: string; enrolled: number; doomedIds: string[] } | undefined;
    for (let attempt = 1; attempt <= 3 && !killed; attempt++) {
      const campaignId = await draftCampaign(`crash-${attempt}`, attempt);
      campaigns.push(campaignId);
      doomed ??= await doomedWorker(`optline-doomed-${attempt}`);
      const kill = await launchAndKill(campaignId, doomed);
      if (kill.outcome === 'midway') killed = { campaignId, enrolled: kill.enrolled, doomedIds: doomed.ids };
      if (kill.outcome !== 'missed') doomed = undefined;
    }
    if (!killed) throw new Error('the worker finished enrolling before each of 3 kills: nothing was killed mid-enrolment');
    expect(killed.enrolled).toBeGreaterThan(0);
    expect(killed.enrolled).toBeLessThan(CONTACTS);

    // Nobody unlocks the dead worker's jobs but another worker: its enrolment job is still locked by it.
    const stuck = await one(`select count(*)::int from graphile_worker.jobs where task_identifier = $1 and locked_by = any($2::text[])`, [
      TASKS.campaignEnrol,
      killed.doomedIds,
    ]);
    expect(stuck).toBeGreaterThan(0);

    worker('optline-survivor');
    // Every campaign (a missed kill's too) ends enrolled, every contact enrolled, every run started and finished.
    await eventually(
      async () => {
        for (const id of campaigns) {
          const { rows } = await pool.query(
            `select status, (select count(*)::int from campaign_enrolments where campaign_id = $1) as n
             from campaigns where id = $1`,
            [id],
          );
          if (rows[0].status !== 'enrolled' || rows[0].n !== CONTACTS || !(await isDone(id))) return false;
        }
        return true;
      },
      45_000,
      250,
    );
    // The dead worker is forgotten, none of its jobs is left locked, and no enrolment job is left to run. (A job a newer one
    // of its key superseded while it ran is spent, attempts = max_attempts, as graphile-worker marks it: it never runs again.)
    expect(await one(`select count(*)::int from optline_workers where worker_id = any($1::text[])`, [killed.doomedIds])).toBe(0);
    expect(await one(`select count(*)::int from graphile_worker.jobs where locked_by = any($1::text[])`, [killed.doomedIds])).toBe(0);
    expect(
      await one(`select count(*)::int from graphile_worker.jobs where task_identifier = $1 and attempts < max_attempts`, [
        TASKS.campaignEnrol,
      ]),
    ).toBe(0);

    for (const campaignId of campaigns) {
      const audience = await one<string[]>(`select coalesce(array_agg(c.id order by c.id), '{}') from contacts c where $1 = any(c.tags)`, [
        `crash-${campaigns.indexOf(campaignId) + 1}`,
      ]);
      expect(audience).toHaveLength(CONTACTS);
      const q = async (sql: string) => (await pool.query(sql, [campaignId])).rows;
      // Every audience contact enrolled once (the primary key allows no second), each enrolment with a run and no refusal.
      expect(await q(`select contact_id from campaign_enrolments where campaign_id = $1 order by contact_id`)).toEqual(
        audience.map((contact_id) => ({ contact_id })),
      );
      expect(
        await q(
          `select count(*)::int as n from campaign_enrolments where campaign_id = $1 and (run_id is null or start_error is not null)`,
        ),
      ).toEqual([{ n: 0 }]);
      // One run per contact in the campaign's version: the enrolment's, of that contact.
      expect(
        await q(
          `select count(*)::int as runs, count(distinct r.contact_id)::int as contacts,
             count(*) filter (where r.id = e.run_id and r.contact_id = e.contact_id)::int as enrolment_runs
           from campaign_enrolments e join campaigns c on c.id = e.campaign_id
           join runs r on r.contact_id = e.contact_id and r.flow_version_id = c.flow_version_id
           where e.campaign_id = $1`,
        ),
      ).toEqual([{ runs: CONTACTS, contacts: CONTACTS, enrolment_runs: CONTACTS }]);
      // One first text per contact (a send the killed worker had in flight is marked unknown, never sent again: at most once).
      const [texts] = await q(
        `select count(*)::int as texts, count(distinct m.contact_id)::int as contacts,
           count(*) filter (where m.status in ('sent', 'delivered'))::int as sent,
           count(*) filter (where m.status = 'failed' and m.error = 'delivery unknown after a worker crash; not resent')::int as unknown
         from campaign_enrolments e join messages m on m.contact_id = e.contact_id and m.direction = 'outbound'
         where e.campaign_id = $1`,
      );
      expect(texts).toMatchObject({ texts: CONTACTS, contacts: CONTACTS });
      expect(texts.sent + texts.unknown).toBe(CONTACTS);
      // Every text recorded as sent reached the (sandbox) provider, with the contact's own amount.
      expect(
        await q(
          `select count(*)::int as received,
             count(*) filter (where s.body like '%statement of ' || (c.segment_attributes ->> 'amount_due') || ' is ready.%')::int as own_amount
           from campaign_enrolments e join contacts c on c.id = e.contact_id
           join messages m on m.contact_id = e.contact_id and m.status in ('sent', 'delivered') join sandbox_texts s on s.message_id = m.id
           where e.campaign_id = $1`,
        ),
      ).toEqual([{ received: texts.sent, own_amount: texts.sent }]);
    }
  }, 120_000);
});
