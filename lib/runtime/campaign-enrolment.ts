import type pg from 'pg';
import { resolveZones } from '@/lib/compliance/zones';
import { campaignRepository, type Campaign } from '@/lib/db/campaign-repository';
import { addJob } from '@/lib/db/job-queue';
import { withTransaction } from '@/lib/db/queryable';
import { segmentRepository } from '@/lib/db/segment-repository';
import { AppError } from '@/lib/app-error';
import { varsOf } from './campaign-variables';
import { EngineError } from './engine-error';
import type { RunStarts } from './run-starts';
import { scheduledStart } from './schedule';
import { TASKS, type CampaignJob } from './tasks';

/** Contacts enrolled per job: one statement to read them, one to write them. */
export const ENROL_BATCH = 1000;
// segmentRepository.members reads at most this many a page: a larger batch would look like the audience's last one.
const MAX_ENROL_BATCH = 5000;

/**
 * A campaign's enrolment and run starts, as graphile-worker jobs (never in
 * one request). Each job is one transaction (an enrolment batch holding the
 * campaign's row lock, a start batch the campaign's start lock):
 * an enrolment batch writes its enrolments (once per contact: the primary
 * key), the cursor and the next job together; a start batch writes the
 * runs, the enrolments that name them and the next job together. A worker
 * killed mid-job commits none of it, and the job's retry redoes the batch:
 * no enrolment is lost or doubled, no run started twice.
 */
export class CampaignEnrolment {
  /** `batch`: contacts enrolled per job (default `ENROL_BATCH`; at most the 5,000 a page of members holds). */
  constructor(private readonly deps: { pool: pg.Pool; clock: () => Date; starts: RunStarts; batch?: number }) {
    if (deps.batch !== undefined && !(Number.isInteger(deps.batch) && deps.batch >= 1 && deps.batch <= MAX_ENROL_BATCH))
      throw new Error(`an enrolment batch is a whole number of contacts from 1 to ${MAX_ENROL_BATCH}, not ${deps.batch}`);
  }

  /** The next batch of the audience: enrolled with each contact's due time; then the next batch's job, or the end of enrolment. */
  async enrolBatch(job: CampaignJob): Promise<void> {
    const { pool, clock, batch = ENROL_BATCH } = this.deps;
    await withTransaction(pool, async (tx) => {
      const campaigns = campaignRepository(tx);
      const campaign = await campaigns.get(job.campaignId, { lock: true });
      if (!campaign || campaign.status !== 'enrolling') return; // paused or cancelled since: resume adds the job again
      const members = await segmentRepository(tx).members(campaign.audience.filter, {
        limit: batch,
        consent: false,
        ...(campaign.enrolCursor ? { afterId: campaign.enrolCursor } : {}),
      });
      const enrolments = members.map((m) => ({ contactId: m.id, dueAt: dueAt(campaign, m.zones) }));
      await campaigns.enrol(campaign.id, enrolments, members.at(-1)?.id ?? campaign.enrolCursor);
      if (members.length === batch) await wakeEnrolment(tx, campaign.id);
      else await campaigns.setStatus(campaign.id, 'enrolled', ['enrolling']);
      const first = enrolments.reduce<Date | null>((min, e) => (min && min <= e.dueAt ? min : e.dueAt), null);
      if (first) await wakeStarts(tx, campaign.id, first, clock());
    });
  }

  /** Starts the runs due now, one slice of the campaign's pace; then its next start job. */
  async startDue(job: CampaignJob): Promise<void> {
    const { pool, clock, starts } = this.deps;
    // The next slice is queued at once, behind the texts of the last, and waits here for its moment (under a second): a job
    // delayed instead would wait for the queue's next poll.
    const early = job.notBefore ? Date.parse(job.notBefore) - clock().getTime() : 0;
    // (A millisecond more: a timer may fire a little before the clock reads its moment.)
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(early, 1000) + 1));
    await withTransaction(pool, async (tx) => {
      const campaigns = campaignRepository(tx);
      // One start batch of a campaign at a time (its pace), without waiting on the enrolment batches' row lock.
      // Another batch running now adds the next job itself.
      if (!(await campaigns.tryLockStarts(job.campaignId))) return;
      const campaign = await campaigns.get(job.campaignId);
      if (!campaign || (campaign.status !== 'enrolling' && campaign.status !== 'enrolled')) return;
      const now = clock();
      // Whichever job comes (the chain of slices, or one an enrolment batch woke), the pace holds: too early, it comes back then,
      // as a job of that moment, delayed (were it queued at once, a clock that stood still would have it back forever), beside the
      // chain's job rather than in its place.
      const gate = await campaigns.nextStartAt(campaign.id);
      if (gate && gate.getTime() > now.getTime()) return wakeStarts(tx, campaign.id, gate, now);
      const due = await campaigns.dueEnrolments(campaign.id, now, paceSlice(campaign.pacePerSecond).runs);
      let paced = now;
      if (due.length > 0) {
        const outcomes = await starts.startAllIn(
          tx,
          due.map((d) => ({ flowVersionId: campaign.flowVersionId, contactId: d.contactId, vars: varsOf(campaign, d.attributes) })),
        );
        await campaigns.markStarted(
          campaign.id,
          outcomes.map((o, i) =>
            'runId' in o ? { contactId: due[i]!.contactId, runId: o.runId } : { contactId: due[i]!.contactId, error: refusal(o.error) },
          ),
          now,
        );
        paced = new Date(now.getTime() + (1000 * due.length) / campaign.pacePerSecond);
        await campaigns.setNextStartAt(campaign.id, paced);
      }
      const next = await campaigns.nextDue(campaign.id);
      if (next) await nextStart(tx, campaign.id, new Date(Math.max(next.getTime(), paced.getTime())), clock());
    });
  }
}

/**
 * Adds the campaign's next start job for the moment `at`. Within a second,
 * it is queued at once, in line behind the texts the batch just started
 * (a campaign starts no faster than the workers send them, and a
 * conversation's reply is not pushed back by it), and waits for `at`
 * itself; later, it is a job delayed until then.
 */
async function nextStart(tx: pg.PoolClient, campaignId: string, at: Date, now: Date): Promise<void> {
  const key = `campaign:${campaignId}:start`;
  const wait = at.getTime() - now.getTime();
  if (wait <= 1000) await addJob(tx, TASKS.campaignStart, { campaignId, notBefore: at.toISOString() } satisfies CampaignJob, { key });
  else await addJob(tx, TASKS.campaignStart, { campaignId } satisfies CampaignJob, { key, delayMs: wait });
}

/**
 * Adds the campaign's next enrolment batch job. It runs before the texts
 * waiting with it (a priority above theirs): enrolment is cheap and starts
 * nothing itself, so a campaign's own first texts never hold up the rest of
 * its audience's enrolment (and its progress bar).
 */
export async function wakeEnrolment(tx: pg.PoolClient, campaignId: string): Promise<void> {
  await addJob(tx, TASKS.campaignEnrol, { campaignId } satisfies CampaignJob, { key: `campaign:${campaignId}:enrol`, priority: -1 });
}

/** Start batches a second at most: a pace of 1,000 texts a second starts 250 runs every 250 ms. */
export const START_SLICES_PER_SECOND = 4;

/**
 * The pace as start batches: `runs` started every `ms`, exactly
 * `pacePerSecond` a second, in up to `START_SLICES_PER_SECOND` batches. Small
 * batches keep the first texts flowing: a start batch's texts wait in the
 * queue with the texts already there (a campaign never pushes ahead of the
 * conversations in flight), and the next batch waits behind them, so a
 * second's worth at once would let the workers run dry between batches.
 */
export function paceSlice(pacePerSecond: number): { runs: number; ms: number } {
  const runs = Math.ceil(pacePerSecond / Math.min(START_SLICES_PER_SECOND, pacePerSecond));
  return { runs, ms: (1000 * runs) / pacePerSecond };
}

/** Adds a start job for the moment `at` (one per campaign and moment, so enrolment batches of the same moment add it once). */
export async function wakeStarts(tx: pg.PoolClient, campaignId: string, at: Date, now: Date): Promise<void> {
  await addJob(tx, TASKS.campaignStart, { campaignId } satisfies CampaignJob, {
    key: `campaign:${campaignId}:start:${at.toISOString()}`,
    delayMs: Math.max(0, at.getTime() - now.getTime()),
  });
}

/** When a contact's run is due: the launch, or the schedule's wall-clock time on its date in the contact's zone. */
function dueAt(campaign: Campaign, zones: readonly string[]): Date {
  if (campaign.schedule.kind === 'now') return campaign.startsAt ?? campaign.launchedAt ?? new Date(0);
  const at = scheduledStart({ at: campaign.schedule.at }, campaign.schedule.date, zones.length ? zones : resolveZones({}));
  return typeof at === 'string' ? (campaign.launchedAt ?? new Date(0)) : at;
}

/** Why a start was refused, as a sentence kept on the enrolment; anything else is thrown (the job's retry tries again). */
function refusal(err: unknown): string {
  if (err instanceof EngineError || err instanceof AppError) return err.message;
  throw err;
}
