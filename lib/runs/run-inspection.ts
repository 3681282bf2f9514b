import { can, type Actor } from '@/lib/access/roles';
import type { runQueries } from '@/lib/db/run-queries';
import { resolveZones } from '@/lib/compliance/zones';
import { UUID } from '@/lib/fields';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import { AppError } from '@/lib/app-error';
import { maskPhone } from './mask-phone';
import type { RunListItem } from './run-list';
import { runPath, type RunPath } from './run-path';
import { buildTimeline, type TimelineItem } from './timeline';

/** The body of GET /api/runs/:id/timeline. */
export interface RunTimelineResponse {
  run: Omit<RunListItem, 'flow'> & { flow: RunListItem['flow'] & { versionId: string } };
  canCancel: boolean;
  /** The zones the contact may be in, as the runtime resolves them for sending windows (times that concern the contact are shown in them). */
  contactZones: string[];
  flow: FlowDocument | null;
  path: RunPath;
  timeline: TimelineItem[];
}

/** What the run inspector shows: the run's header, timeline, path on its flow, and whether `actor` may cancel it; a not_found AppError when there is none. */
export async function runInspection(queries: ReturnType<typeof runQueries>, actor: Actor, id: string): Promise<RunTimelineResponse> {
  if (!UUID.test(id)) throw new AppError('validation_failed', `id: "${id}" is not a run id (a UUID)`, { path: 'id' });
  const run = await queries.runDetail(id);
  if (!run) throw new AppError('not_found', `there is no run ${id}`, { path: 'id' });
  const [events, moves, messages, deferrals, payments, verifications] = await Promise.all([
    queries.events(id),
    queries.moves(id),
    queries.messages(id),
    queries.deferrals(id),
    queries.payments(id),
    queries.verifications(id),
  ]);
  const parsed = parseFlow(run.content);
  const current = run.status === 'active' ? run.node : null;
  return {
    run: {
      id: run.id,
      status: run.status,
      flow: { id: run.flowId, name: run.flowName, version: run.version, versionId: run.flowVersionId },
      contact: { id: run.contactId, phone: maskPhone(run.phone), name: run.name },
      node: run.node,
      startedAt: run.startedAt.toISOString(),
      endedAt: run.endedAt?.toISOString() ?? null,
      stopReason: run.stopReason,
    },
    canCancel: run.status === 'active' && can(actor, 'runs.write'),
    contactZones: resolveZones({ phone: run.phone ?? undefined, zone: run.zone ?? undefined, zip: run.zip ?? undefined }),
    flow: parsed.ok ? parsed.flow : null,
    path: parsed.ok ? runPath(parsed.flow, moves, current) : { nodeTones: {}, edgeTones: {} },
    timeline: buildTimeline({ events, moves, messages, deferrals, payments, verifications }),
  };
}
