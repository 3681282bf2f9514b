// Server only: what the campaign pages and the dashboard's campaign funnels read, each call checking the permission before any query.
import { requirePermission, type Actor } from '@/lib/access/roles';
import { campaignRepository, type Campaign, type CampaignProgress } from '@/lib/db/campaign-repository';
import { contactImportRepository } from '@/lib/db/contact-import-repository';
import { flowRepository } from '@/lib/db/flow-repository';
import { UUID } from '@/lib/fields';
import { segmentRepository } from '@/lib/db/segment-repository';
import { processData, type DataSource } from './source';

/** What the new-campaign form offers: flows, segments and imports. */
export interface CampaignChoices {
  flows: { id: string; name: string }[];
  segments: { id: string; name: string }[];
  imports: { id: string; label: string }[];
}

/** The campaigns and the form's choices, for an actor who may read them. */
export async function campaignsPage(
  actor: Actor | null,
  source: DataSource = processData,
): Promise<{ campaigns: Campaign[]; choices: CampaignChoices }> {
  requirePermission(actor, 'read');
  const pool = await source.pool();
  const [campaigns, flows, segments, imports] = await Promise.all([
    campaignRepository(pool).list(),
    flowRepository(pool).listFlows(),
    segmentRepository(pool).list(),
    contactImportRepository(pool).list(30),
  ]);
  return {
    campaigns,
    choices: {
      flows: flows.map((f) => ({ id: f.id, name: f.name })),
      segments: segments.map((s) => ({ id: s.id, name: s.name })),
      imports: imports.map((i) => ({ id: i.id, label: `${i.fileName} (${i.contacts} contacts)` })),
    },
  };
}

/** One campaign with its funnel at `now`, for an actor who may read it; undefined when there is none. */
export async function campaignDetail(
  actor: Actor | null,
  id: string,
  now: Date,
  source: DataSource = processData,
): Promise<{ campaign: Campaign; progress: CampaignProgress } | undefined> {
  requirePermission(actor, 'read');
  const pool = await source.pool();
  const campaign = UUID.test(id) ? await campaignRepository(pool).get(id) : undefined;
  if (!campaign) return undefined;
  return { campaign, progress: await campaignRepository(pool).progress(id, now) };
}

/** The launched campaigns' funnels (newest first, at most 20), for the dashboard. */
export async function campaignFunnels(
  actor: Actor | null,
  now: Date,
  source: DataSource = processData,
): Promise<{ id: string; name: string; status: Campaign['status']; progress: CampaignProgress }[]> {
  requirePermission(actor, 'read');
  const pool = await source.pool();
  const launched = (await campaignRepository(pool).list(50)).filter((c) => c.launchedAt !== null).slice(0, 20);
  return Promise.all(
    launched.map(async (c) => ({ id: c.id, name: c.name, status: c.status, progress: await campaignRepository(pool).progress(c.id, now) })),
  );
}
