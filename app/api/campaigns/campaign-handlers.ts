import { z } from 'zod';
import type { Authenticate } from '@/lib/access/roles';
import { blockedCsvLines } from '@/lib/campaigns/blocked-csv';
import {
  campaignBody,
  campaignProgress,
  cancelBody,
  cancelCampaign,
  createCampaign,
  getCampaign,
  launchCampaign,
  listCampaigns,
  pauseCampaign,
  previewCampaign,
  resumeCampaign,
  type CampaignDeps,
} from '@/lib/campaigns/campaigns';
import type { Campaign, CampaignProgress } from '@/lib/db/campaign-repository';
import { contactKeys } from '@/lib/db/contact-repository';
import { endpoints, errorAnswer, fileResponse, idParams, jsonBody, jsonResponse, type OperationDoc } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { csvDownload } from '@/lib/http/stream';
import { services, type Services } from '@/lib/runtime/services';
import { VersionCache } from '@/lib/runtime/versions';

/** The preview a marketer sees before launch (lib/campaigns/preview.ts). */
export const previewResponse = z.object({
  plannedFor: z.string(),
  total: z.number().int(),
  send: z.number().int(),
  hold: z.number().int(),
  block: z.number().int(),
  blockedBy: z.array(z.object({ rule: z.string(), count: z.number().int(), example: z.string() })),
  histogram: z.array(z.object({ zone: z.string(), localTime: z.string(), count: z.number().int() })),
  missingVariables: z.array(z.object({ variable: z.string(), attribute: z.string(), contacts: z.number().int() })),
});

/** A campaign's funnel. */
export const progressResponse = z.object({
  enrolled: z.number().int(),
  started: z.number().int(),
  firstTextSent: z.number().int(),
  held: z.number().int(),
  blocked: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  paid: z.number().int(),
  heldUntil: z
    .array(z.object({ until: z.string().describe('ISO 8601'), zone: z.string(), count: z.number().int() }))
    .describe('The held texts by when they go and the zone they wait in, soonest first'),
});

/** One campaign. */
export const campaignResponse = z.object({
  id: z.string(),
  name: z.string(),
  flowVersionId: z.string(),
  audience: z.record(z.string(), z.unknown()),
  schedule: z.record(z.string(), z.unknown()),
  variables: z.record(z.string(), z.string()),
  pacePerSecond: z.number().int(),
  status: z.enum(['draft', 'enrolling', 'enrolled', 'paused', 'cancelled']),
  preview: previewResponse.nullable(),
  previewedAt: z.string().nullable(),
  launchedAt: z.string().nullable(),
  launchedBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

/** GET /api/campaigns. */
export const campaignListResponse = z.object({ campaigns: z.array(campaignResponse) });
/** POST /api/campaigns, launch, pause, resume. */
export const campaignSavedResponse = z.object({ campaign: campaignResponse });
/** GET /api/campaigns/:id. */
export const campaignDetailResponse = z.object({ campaign: campaignResponse, progress: progressResponse });
/** POST /api/campaigns/:id/preview. */
export const campaignPreviewResponse = z.object({ preview: previewResponse });
/** POST /api/campaigns/:id/cancel. */
export const campaignCancelledResponse = z.object({ campaign: campaignResponse, stoppedRuns: z.number().int() });

const campaignNotFound = errorAnswer('There is no campaign with this id.');
const wrongState = errorAnswer("The campaign's state does not allow this (e.g. launching one not previewed, resuming one not paused).");

/** What the API reference says of each campaign route. */
const docs = {
  list: {
    id: 'listCampaigns',
    summary: 'List campaigns',
    responses: { 200: jsonResponse('The campaigns, newest first.', campaignListResponse) },
  },
  create: {
    id: 'createCampaign',
    summary: 'Create a campaign',
    description:
      "A draft: an active, approved flow, an audience (a segment, picked contacts or one CSV import), when (now, or a local time in each contact's zone on a date), run variables from contact attributes, and a pace in texts per second.",
    responses: { 201: jsonResponse('The draft campaign.', campaignSavedResponse) },
  },
  get: {
    id: 'getCampaign',
    summary: 'Get a campaign',
    description: 'The campaign with its live funnel (enrolled, first text sent, held, blocked, replied, opted out, paid).',
    responses: { 200: jsonResponse('The campaign and its progress.', campaignDetailResponse), 404: campaignNotFound },
  },
  preview: {
    id: 'previewCampaign',
    summary: 'Preview a campaign',
    description:
      "The pre-flight compliance preview: for every contact, what the runtime would do with the flow's first text at the planned moment (send, hold until when, block and why); stored with the campaign and audited.",
    responses: { 200: jsonResponse('The preview.', campaignPreviewResponse), 404: campaignNotFound, 409: wrongState },
  },
  launch: {
    id: 'launchCampaign',
    summary: 'Launch a campaign',
    description: 'Launches a previewed draft; contacts are enrolled by background jobs, in batches, each at most once.',
    responses: { 200: jsonResponse('The launched campaign.', campaignSavedResponse), 404: campaignNotFound, 409: wrongState },
  },
  pause: {
    id: 'pauseCampaign',
    summary: 'Pause a campaign',
    description: 'Stops new enrolments and run starts until it is resumed.',
    responses: { 200: jsonResponse('The paused campaign.', campaignSavedResponse), 404: campaignNotFound, 409: wrongState },
  },
  resume: {
    id: 'resumeCampaign',
    summary: 'Resume a campaign',
    responses: { 200: jsonResponse('The running campaign.', campaignSavedResponse), 404: campaignNotFound, 409: wrongState },
  },
  cancel: {
    id: 'cancelCampaign',
    summary: 'Cancel a campaign',
    description: 'Stops enrolment for good; with `stopRuns`, its runs not finished are stopped too.',
    example: { stopRuns: true },
    responses: {
      200: jsonResponse('The cancelled campaign and how many runs were stopped.', campaignCancelledResponse),
      404: campaignNotFound,
      409: wrongState,
    },
  },
  blockedCsv: {
    id: 'exportCampaignBlocked',
    summary: "A campaign preview's blocked contacts (CSV)",
    responses: { 200: fileResponse('The blocked contacts with their rule and reason.', 'text/csv'), 404: campaignNotFound },
  },
} satisfies Record<string, OperationDoc>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A campaign's funnel as the API answers it (instants as ISO strings). */
export function progressView(p: CampaignProgress) {
  return { ...p, heldUntil: p.heldUntil.map((h) => ({ ...h, until: h.until.toISOString() })) };
}

/** A campaign as the API answers it. */
export function campaignView(c: Campaign) {
  return campaignResponse.parse({
    id: c.id,
    name: c.name,
    flowVersionId: c.flowVersionId,
    audience: c.audience,
    schedule: c.schedule,
    variables: c.variables,
    pacePerSecond: c.pacePerSecond,
    status: c.status,
    preview: c.preview,
    previewedAt: iso(c.previewedAt),
    launchedAt: iso(c.launchedAt),
    launchedBy: c.launchedBy,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
  });
}

// Versions compiled once per process (as the engine keeps them).
const versions = new VersionCache();

/** The campaigns API: create, preview, launch, pause, resume, cancel, progress, blocked contacts as CSV. */
export function campaignHandlers(deps: { authenticate: Authenticate; services?: () => Promise<Services> }) {
  const get = deps.services ?? services;
  const endpoint = endpoints(deps);
  const campaignDeps = async (): Promise<CampaignDeps> => {
    const s = await get();
    return { pool: s.pool, keys: contactKeys(s.env.appSecret), clock: s.clock, versions };
  };

  return {
    /** GET: campaigns, newest first. */
    list: endpoint({ doc: docs.list, access: 'read' }, async ({ actor }) => {
      const campaigns = await listCampaigns((await get()).pool, actor);
      return json(campaignListResponse.parse({ campaigns: campaigns.map(campaignView) }));
    }),

    /** POST: a draft campaign. */
    create: endpoint({ doc: docs.create, access: 'runs.write', body: jsonBody(campaignBody) }, async ({ actor, body }) => {
      const campaign = await createCampaign(await campaignDeps(), actor, body);
      return json(campaignSavedResponse.parse({ campaign: campaignView(campaign) }), { status: 201 });
    }),

    /** GET: a campaign with its live funnel. */
    get: endpoint({ doc: docs.get, access: 'read', params: idParams }, async ({ actor, params: { id } }) => {
      const d = await campaignDeps();
      const campaign = await getCampaign(d.pool, actor, id);
      const progress = await campaignProgress(d, actor, id);
      return json(campaignDetailResponse.parse({ campaign: campaignView(campaign), progress: progressView(progress) }));
    }),

    /** POST: the pre-flight compliance preview of a draft (stored with it and audited). */
    preview: endpoint({ doc: docs.preview, access: 'runs.write', params: idParams }, async ({ actor, params: { id } }) => {
      const preview = await previewCampaign(await campaignDeps(), actor, id);
      return json(campaignPreviewResponse.parse({ preview }));
    }),

    /** POST: launches a previewed draft (enrolment runs as jobs). */
    launch: endpoint({ doc: docs.launch, access: 'runs.write', params: idParams }, async ({ actor, params: { id } }) => {
      return json(campaignSavedResponse.parse({ campaign: campaignView(await launchCampaign(await campaignDeps(), actor, id)) }));
    }),

    /** POST: pauses enrolment and run starts. */
    pause: endpoint({ doc: docs.pause, access: 'runs.write', params: idParams }, async ({ actor, params: { id } }) => {
      return json(campaignSavedResponse.parse({ campaign: campaignView(await pauseCampaign(await campaignDeps(), actor, id)) }));
    }),

    /** POST: resumes a paused campaign. */
    resume: endpoint({ doc: docs.resume, access: 'runs.write', params: idParams }, async ({ actor, params: { id } }) => {
      return json(campaignSavedResponse.parse({ campaign: campaignView(await resumeCampaign(await campaignDeps(), actor, id)) }));
    }),

    /** POST `{ stopRuns? }`: cancels; with stopRuns, its runs not finished are stopped too. */
    cancel: endpoint(
      { doc: docs.cancel, access: 'runs.write', params: idParams, body: jsonBody(cancelBody) },
      async ({ actor, params: { id }, body }) => {
        const { campaign, stoppedRuns } = await cancelCampaign(await campaignDeps(), actor, id, body);
        return json(campaignCancelledResponse.parse({ campaign: campaignView(campaign), stoppedRuns }));
      },
    ),

    /** GET: the preview's blocked contacts with their rule and reason, as CSV. */
    blockedCsv: endpoint({ doc: docs.blockedCsv, access: 'read', params: idParams }, async ({ actor, params: { id } }) => {
      const lines = await blockedCsvLines((await get()).pool, actor, id);
      return csvDownload(`campaign-${id}-blocked.csv`, lines);
    }),
  };
}
