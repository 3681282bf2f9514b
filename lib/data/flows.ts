// Server only: reads flows and their versions for the pages (the 'server-only' package is not installed here).
import { requirePermission, type Actor } from '@/lib/auth/roles';
import { flowRepository, type Flow } from '@/lib/db/flow-repository';
import { userRepository } from '@/lib/db/user-repository';
// The review page's data (report, diff, machine, who may decide) is the API's own; one computation for both.
import { summarize, versionService, type FlowSummary, type PublicVersion, type VersionDetail } from '@/lib/flows';
import { processData, type DataSource } from './source';

/** Every flow (not archived) as the list shows it, for an actor who may read flows (checked before any query). */
export async function flowList(actor: Actor | null, source: DataSource = processData): Promise<FlowSummary[]> {
  requirePermission(actor, 'read');
  return (await flowRepository(await source.pool()).listFlows()).map(summarize);
}

/** One flow with its draft (undefined when there is none), for an actor who may read flows (checked before any query). */
export async function flowById(actor: Actor | null, id: string, source: DataSource = processData): Promise<Flow | undefined> {
  requirePermission(actor, 'read');
  return flowRepository(await source.pool()).getFlow(id);
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
