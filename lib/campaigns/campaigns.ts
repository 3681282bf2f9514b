import type pg from 'pg';
import { z } from 'zod';
import { actorRef, requirePermission, type Actor } from '@/lib/access/roles';
import { AppError } from '@/lib/app-error';
import { activeVersionRepository } from '@/lib/db/active-version-repository';
import { recordAudit } from '@/lib/db/audit-repository';
import {
  campaignRepository,
  type Campaign,
  type CampaignAudience,
  type CampaignProgress,
  type CampaignStatus,
} from '@/lib/db/campaign-repository';
import type { ContactKeys } from '@/lib/db/contact-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { withTransaction } from '@/lib/db/queryable';
import { runRepository } from '@/lib/db/run-repository';
import { segmentRepository } from '@/lib/db/segment-repository';
import { calendarDate, UUID, uuidField } from '@/lib/fields';
import { parseTimeOfDay } from '@/lib/flow/time-of-day';
import { wakeEnrolment, wakeStarts } from '@/lib/runtime/campaign-enrolment';
import type { VersionCache } from '@/lib/runtime/versions';
import { previewAudience, type PreviewSummary } from './preview';
import { fillSegmentFacts } from './segments';

/**
 * Campaigns: an active, approved flow version started for an audience, at
 * once or at a wall-clock time in each contact's zone, with run variables
 * from contact attributes, at a pace. Created as a draft, previewed (the
 * pre-flight compliance preview, stored with it and audited), launched
 * (enrolment then runs as graphile-worker jobs: lib/runtime/campaign-enrolment.ts),
 * paused, resumed, cancelled.
 */

/**
 * The default pace: 1 text a second. Twilio queues what a sender cannot
 * take, and a US long code's throughput depends on its 10DLC brand and
 * campaign (about 1 message a second for an unregistered or low-trust
 * sender); raise it to what the messaging service's numbers are registered
 * for (a short code or toll-free sender takes more).
 */
export const DEFAULT_PACE_PER_SECOND = 1;
export const MAX_PACE_PER_SECOND = 1000;
const MAX_VARIABLES = 20;

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { error: 'is not a variable name (letters, digits, _)' });

/** A campaign as a request gives it. */
export const campaignBody = z.strictObject({
  name: z.string({ error: 'give the campaign a name' }).trim().min(1, { error: 'give the campaign a name' }).max(120),
  flowId: z.string({ error: 'give the flow id' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'is not a flow id' }),
  audience: z.union(
    [
      z.strictObject({ segmentId: uuidField('segment') }),
      z.strictObject({
        contactIds: z
          .array(z.string().regex(UUID, { error: 'is not a contact id (a UUID)' }))
          .min(1)
          .max(1000),
      }),
      z.strictObject({ importId: uuidField('import') }),
    ],
    { error: 'give one of segmentId, contactIds (at most 1,000) or importId' },
  ),
  schedule: z.discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('now') }),
      z.strictObject({
        kind: z.literal('local'),
        date: calendarDate('2026-03-11'),
        at: z.string().refine((t) => parseTimeOfDay(t) !== null, { error: 'is not a time of day like 08:00' }),
      }),
    ],
    { error: 'kind must be now or local' },
  ),
  variables: z
    .record(variableName, z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, { error: 'is not an attribute key' }))
    .refine((v) => Object.keys(v).length <= MAX_VARIABLES, { error: `at most ${MAX_VARIABLES} variables` })
    .default({}),
  pacePerSecond: z
    .number()
    .int({ error: 'must be a whole number of texts a second' })
    .min(1)
    .max(MAX_PACE_PER_SECOND, { error: `at most ${MAX_PACE_PER_SECOND} texts a second` })
    .default(DEFAULT_PACE_PER_SECOND),
});
export type CampaignBody = z.infer<typeof campaignBody>;

/** How to cancel: `stopRuns` also stops the campaign's runs not finished yet. */
export const cancelBody = z.strictObject({ stopRuns: z.boolean().default(false) });

/** What the campaign service runs with. */
export interface CampaignDeps {
  pool: pg.Pool;
  keys: ContactKeys;
  clock: () => Date;
  versions: VersionCache;
}

const notFound = (id: string) => new AppError('not_found', `there is no campaign ${id}`, { path: 'id' });
const checkId = (id: string) => {
  if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a campaign id (a UUID)`, { path: 'id' });
};

/** Creates a draft campaign on the flow's active version (audited in the same transaction). */
export async function createCampaign(deps: CampaignDeps, actor: Actor, body: CampaignBody): Promise<Campaign> {
  requirePermission(actor, 'runs.write');
  const { pool } = deps;
  return withTransaction(pool, async (tx) => {
    const active = await activeVersionRepository(tx).ofFlow(body.flowId);
    if (!active)
      throw new AppError(
        'validation_failed',
        `flowId: flow "${body.flowId}" has no active version; a campaign starts an active, approved one`,
        {
          path: 'flowId',
        },
      );
    const audience = await audienceOf(tx, body.audience);
    const campaign = await campaignRepository(tx).create({
      name: body.name,
      flowVersionId: active.id,
      audience,
      schedule: body.schedule,
      variables: body.variables,
      pacePerSecond: body.pacePerSecond,
      createdBy: actorRef(actor),
    });
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'campaign.created',
      subjectType: 'campaign',
      subjectId: campaign.id,
      details: { name: campaign.name, flowVersionId: active.id, audience: body.audience, schedule: body.schedule },
    });
    return campaign;
  });
}

/** The audience's filter, frozen now: a segment's, the contacts picked, or one import's. */
async function audienceOf(tx: pg.PoolClient, a: CampaignBody['audience']): Promise<CampaignAudience> {
  if ('segmentId' in a) {
    const segment = await segmentRepository(tx).get(a.segmentId);
    if (!segment)
      throw new AppError('validation_failed', `audience.segmentId: there is no segment ${a.segmentId}`, { path: 'audience.segmentId' });
    return { kind: 'segment', segmentId: segment.id, segmentName: segment.name, filter: segment.filter };
  }
  if ('contactIds' in a) return { kind: 'selection', contactIds: a.contactIds, filter: { field: 'contact', ids: a.contactIds } };
  return { kind: 'import', importId: a.importId, filter: { field: 'import', importId: a.importId } };
}

/** A campaign by id, or a 404. */
export async function getCampaign(pool: pg.Pool, actor: Actor, id: string): Promise<Campaign> {
  requirePermission(actor, 'read');
  checkId(id);
  const campaign = await campaignRepository(pool).get(id);
  if (!campaign) throw notFound(id);
  return campaign;
}

/** Campaigns, newest first. */
export async function listCampaigns(pool: pg.Pool, actor: Actor): Promise<Campaign[]> {
  requirePermission(actor, 'read');
  return campaignRepository(pool).list();
}

/** A campaign's live funnel. */
export async function campaignProgress(deps: Pick<CampaignDeps, 'pool' | 'clock'>, actor: Actor, id: string): Promise<CampaignProgress> {
  requirePermission(actor, 'read');
  checkId(id);
  return campaignRepository(deps.pool).progress(id, deps.clock());
}

/**
 * The pre-flight compliance preview of a draft (preview.ts), stored with the
 * campaign (its summary, and its blocked contacts for the CSV) and in the
 * audit log, all in one transaction.
 */
export async function previewCampaign(deps: CampaignDeps, actor: Actor, id: string): Promise<PreviewSummary> {
  requirePermission(actor, 'runs.write');
  checkId(id);
  const { pool, keys, clock, versions } = deps;
  const campaign = await campaignRepository(pool).get(id);
  if (!campaign) throw notFound(id);
  if (campaign.status !== 'draft')
    throw new AppError('conflict', `campaign ${id} is ${campaign.status}: only a draft is previewed before its launch`);
  const { machine } = await versions.load(pool, campaign.flowVersionId);
  const refusal = await versionRefusal(deps, campaign.flowVersionId);
  await fillSegmentFacts(pool, keys);
  const now = clock();
  return withTransaction(pool, async (tx) => {
    const campaigns = campaignRepository(tx);
    await campaigns.clearPreviewBlocked(id);
    const summary = await previewAudience(
      pool,
      keys,
      { machine, refusal, filter: campaign.audience.filter, schedule: campaign.schedule, variables: campaign.variables, now },
      async (outcomes) => {
        const blocked = outcomes.flatMap((o) =>
          o.verdict === 'block' ? [{ contactId: o.contactId, rule: o.rule, reason: o.reason }] : [],
        );
        await campaigns.addPreviewBlocked(id, blocked);
      },
    );
    const missing = await campaigns.missingAttributes(campaign.audience.filter, [...new Set(Object.values(campaign.variables))]);
    const full: PreviewSummary = {
      ...summary,
      missingVariables: Object.entries(campaign.variables)
        .map(([variable, attribute]) => ({ variable, attribute, contacts: missing[attribute] ?? 0 }))
        .filter((m) => m.contacts > 0),
    };
    await campaigns.savePreview(id, { ...full }, now);
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'campaign.previewed',
      subjectType: 'campaign',
      subjectId: id,
      details: { ...full },
    });
    return full;
  });
}

/** Why the version may not start runs now (no longer active, or its approval no longer holds), or null. */
async function versionRefusal(deps: CampaignDeps, versionId: string): Promise<string | null> {
  const stored = await flowRepository(deps.pool).versionFingerprint(versionId);
  if (!stored || stored.status !== 'active') return `the flow's version is ${stored?.status ?? 'gone'}: only an active version starts runs`;
  try {
    await deps.versions.assertApproved(deps.pool, versionId, stored.fingerprint);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
}

/**
 * Launches a previewed draft: enrolment starts as jobs (never in this
 * request). Needs the runs permission; audited with the preview the
 * marketer saw, in the same transaction as the launch.
 */
export async function launchCampaign(deps: CampaignDeps, actor: Actor, id: string): Promise<Campaign> {
  requirePermission(actor, 'runs.write');
  checkId(id);
  const now = deps.clock();
  return withTransaction(deps.pool, async (tx) => {
    const campaigns = campaignRepository(tx);
    const campaign = await campaigns.get(id, { lock: true });
    if (!campaign) throw notFound(id);
    if (campaign.status !== 'draft') throw new AppError('conflict', `campaign ${id} is ${campaign.status}: it was launched already`);
    if (!campaign.preview)
      throw new AppError('conflict', `campaign ${id} has no preview: preview it first (POST /api/campaigns/${id}/preview)`);
    await campaigns.setStatus(id, 'enrolling', ['draft'], {
      launchedBy: actorRef(actor),
      at: now,
      ...(campaign.schedule.kind === 'now' ? { startsAt: now } : {}),
    });
    await wakeEnrolment(tx, id);
    await recordAudit(tx, {
      actor: actorRef(actor),
      action: 'campaign.launched',
      subjectType: 'campaign',
      subjectId: id,
      details: { preview: campaign.preview, previewedAt: campaign.previewedAt?.toISOString() ?? null },
    });
    return (await campaigns.get(id))!;
  });
}

/** Pauses a launched campaign: no new enrolments or run starts until it is resumed. */
export async function pauseCampaign(deps: CampaignDeps, actor: Actor, id: string): Promise<Campaign> {
  return move(deps, actor, id, 'paused', ['enrolling', 'enrolled'], 'campaign.paused');
}

/** Resumes a paused campaign: enrolment and run starts go on where they stopped. */
export async function resumeCampaign(deps: CampaignDeps, actor: Actor, id: string): Promise<Campaign> {
  return move(deps, actor, id, 'enrolling', ['paused'], 'campaign.resumed', async (tx) => {
    await wakeEnrolment(tx, id);
    const next = await campaignRepository(tx).nextDue(id);
    if (next) await wakeStarts(tx, id, next, deps.clock());
  });
}

// Runs stopped per transaction when a cancel stops them too.
const STOP_BATCH = 500;

/** Cancels a campaign: no more enrolments or starts; with `stopRuns`, its runs not finished yet are stopped as well. */
export async function cancelCampaign(
  deps: CampaignDeps,
  actor: Actor,
  id: string,
  opts: { stopRuns: boolean },
): Promise<{ campaign: Campaign; stoppedRuns: number }> {
  const campaign = await move(
    deps,
    actor,
    id,
    'cancelled',
    ['draft', 'enrolling', 'enrolled', 'paused'],
    'campaign.cancelled',
    undefined,
    opts,
  );
  let stoppedRuns = 0;
  if (opts.stopRuns) {
    const ids = await campaignRepository(deps.pool).activeRunIds(id);
    for (let i = 0; i < ids.length; i += STOP_BATCH) {
      stoppedRuns += await withTransaction(deps.pool, async (tx) => {
        let n = 0;
        for (const runId of ids.slice(i, i + STOP_BATCH)) {
          const run = await runRepository(tx).lockRun(runId);
          if (run?.status !== 'active') continue;
          await runRepository(tx).saveStep(runId, run.snapshot, 'stopped', `campaign cancelled by ${actor.name}`);
          n += 1;
        }
        await recordAudit(tx, {
          actor: actorRef(actor),
          action: 'campaign.runs_stopped',
          subjectType: 'campaign',
          subjectId: id,
          details: { runs: n },
        });
        return n;
      });
    }
  }
  return { campaign, stoppedRuns };
}

async function move(
  deps: CampaignDeps,
  actor: Actor,
  id: string,
  to: CampaignStatus,
  from: readonly CampaignStatus[],
  action: string,
  also?: (tx: pg.PoolClient) => Promise<void>,
  details: Record<string, unknown> = {},
): Promise<Campaign> {
  requirePermission(actor, 'runs.write');
  checkId(id);
  return withTransaction(deps.pool, async (tx) => {
    const campaigns = campaignRepository(tx);
    const campaign = await campaigns.get(id, { lock: true });
    if (!campaign) throw notFound(id);
    if (!(await campaigns.setStatus(id, to, from, { at: deps.clock() })))
      throw new AppError(
        'conflict',
        `campaign ${id} is ${campaign.status}: it can be ${to === 'enrolling' ? 'resumed' : to} only when ${from.join(' or ')}`,
      );
    await also?.(tx);
    await recordAudit(tx, { actor: actorRef(actor), action, subjectType: 'campaign', subjectId: id, details });
    return (await campaigns.get(id))!;
  });
}
