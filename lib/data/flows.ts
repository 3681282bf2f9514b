// Server only: reads flows and their versions for the pages (the 'server-only' package is not installed here).
import { requirePermission, type Actor } from '@/lib/access/roles';
import { flowRepository, type FlowHead } from '@/lib/db/flow-repository';
import { userRepository } from '@/lib/db/user-repository';
// The review page's data (report, diff, machine, who may decide) is the API's own; one computation for both.
import {
  draftCheck,
  editorView,
  reviewQueue,
  reviewQueueCount,
  summarize,
  versionService,
  type DraftCheck,
  type EditorView,
  type FlowSummary,
  type LatestVersion,
  type PublicVersion,
  type QueueItem,
  type VersionDetail,
} from '@/lib/flows';
import { processData, type DataSource } from './source';

/** Every flow (not archived) as the list shows it, for an actor who may read flows (checked before any query). */
export async function flowList(actor: Actor | null, source: DataSource = processData): Promise<FlowSummary[]> {
  requirePermission(actor, 'read');
  return (await flowRepository(await source.pool()).listFlows()).map(summarize);
}

/**
 * One flow without its draft (undefined when there is none), for an actor
 * who may read flows (checked before any query): what a page's title needs,
 * without reading a 10,000-step draft.
 */
export async function flowById(actor: Actor | null, id: string, source: DataSource = processData): Promise<FlowHead | undefined> {
  requirePermission(actor, 'read');
  return flowRepository(await source.pool()).getFlowHead(id);
}

/** Display names of the people, by user id. */
async function peopleNames(source: DataSource): Promise<Record<string, string>> {
  return Object.fromEntries((await userRepository(await source.pool()).list()).map((u) => [u.id, u.name]));
}

/** A flow's versions, newest first, with who is who; a not_found AppError when there is no such flow. Checked before any query. */
export async function flowVersions(
  actor: Actor | null,
  flowId: string,
  source: DataSource = processData,
): Promise<{ flow: { id: string; name: string }; versions: PublicVersion[]; people: Record<string, string> }> {
  requirePermission(actor, 'read');
  const listed = await versionService(await source.pool()).list(flowId);
  return { ...listed, people: await peopleNames(source) };
}

/** The review page's data for one version as this actor sees it, with who is who; a not_found AppError when there is none. Checked before any query. */
export async function versionReview(
  actor: Actor | null,
  versionId: string,
  source: DataSource = processData,
): Promise<{ detail: VersionDetail; people: Record<string, string> }> {
  const reader = requirePermission(actor, 'read');
  const detail = await versionService(await source.pool()).detail(versionId, reader);
  return { detail, people: await peopleNames(source) };
}

/** Each flow's newest version, by flow id, for an actor who may read flows (checked before any query). */
export async function flowReviewStatuses(actor: Actor | null, source: DataSource = processData): Promise<Record<string, LatestVersion>> {
  requirePermission(actor, 'read');
  const latest = await flowRepository(await source.pool()).latestVersions();
  return Object.fromEntries(
    [...latest].map(([flowId, v]) => [
      flowId,
      { versionId: v.id, version: v.version, status: v.status, statusChangedAt: v.statusChangedAt.toISOString() },
    ]),
  );
}

/** What submitting the flow's saved draft would meet (errors refuse it, warnings go to the reviewer); undefined when there is no such flow. Checked before any query. */
export async function draftReadiness(
  actor: Actor | null,
  flowId: string,
  source: DataSource = processData,
): Promise<DraftCheck | undefined> {
  requirePermission(actor, 'read');
  const flow = await flowRepository(await source.pool()).getFlow(flowId);
  return flow && draftCheck(flow.draft);
}

/** The review queue for an actor who may decide on versions (checked before any query), with who is who. */
export async function reviewQueuePage(
  actor: Actor | null,
  source: DataSource = processData,
): Promise<{ awaiting: QueueItem[]; authored: QueueItem[]; people: Record<string, string> }> {
  const reviewer = requirePermission(actor, 'reviews.decide');
  const queue = await reviewQueue(await source.pool(), reviewer);
  return { ...queue, people: await peopleNames(source) };
}

/** How many versions await the actor's decision, for the navigation's count; for an actor who may decide (checked before any query). */
export async function reviewQueueSize(actor: Actor | null, source: DataSource = processData): Promise<number> {
  const reviewer = requirePermission(actor, 'reviews.decide');
  return reviewQueueCount(await source.pool(), reviewer);
}

/** One flow's draft laid out for a read-only canvas, with what submitting it would meet; undefined when there is no such flow. Checked before any query. */
export async function flowReadOnly(
  actor: Actor | null,
  id: string,
  source: DataSource = processData,
): Promise<{ flow: EditorView['flow']; draft: EditorView['draft']; check: DraftCheck } | undefined> {
  requirePermission(actor, 'read');
  const flow = await flowRepository(await source.pool()).getFlow(id);
  if (!flow) return undefined;
  const { flow: summary, draft } = editorView(flow);
  return { flow: summary, draft, check: draftCheck(flow.draft) };
}
