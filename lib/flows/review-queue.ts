import type pg from 'pg';
import type { Actor } from '@/lib/access/roles';
import { flowRepository, type FlowVersionStatus } from '@/lib/db/flow-repository';
import { currentBinding } from '@/lib/runtime/approval-gate';
import { authorshipOf } from './version-service';

/** How many submitted versions the queue lists at most (the oldest first). */
export const REVIEW_QUEUE_LIMIT = 500;

/** A flow's newest version as the flow list shows it (its review status). */
export interface LatestVersion {
  versionId: string;
  version: number;
  status: FlowVersionStatus;
  statusChangedAt: string;
}

/** One submitted version in the review queue. */
export interface QueueItem {
  versionId: string;
  flowId: string;
  flowName: string;
  version: number;
  submittedBy: string;
  authors: string[];
  /** When it was (last) submitted. */
  submittedAt: string;
  /** The analyzer's verdict under the current analyzer; `invalid` when the stored JSON no longer parses. */
  verdict: { errors: number; warnings: number } | { invalid: true };
  /** Why this actor cannot decide on it (they wrote it), if so. */
  authorship?: string;
}

/** Submitted versions: those awaiting the actor's decision, and those the actor wrote (another reviewer must decide). */
export async function reviewQueue(pool: pg.Pool, actor: Actor): Promise<{ awaiting: QueueItem[]; authored: QueueItem[] }> {
  const rows = await flowRepository(pool).submittedVersions(REVIEW_QUEUE_LIMIT);
  const items = rows.map(({ version, flowName, authors }): QueueItem => {
    const now = currentBinding(version.content);
    const authorship = authorshipOf(actor, version, authors);
    return {
      versionId: version.id,
      flowId: version.flowId,
      flowName,
      version: version.version,
      submittedBy: version.createdBy,
      authors,
      submittedAt: version.statusChangedAt.toISOString(),
      verdict: now.ok ? { errors: now.report.errors.length, warnings: now.report.warnings.length } : { invalid: true },
      ...(authorship ? { authorship } : {}),
    };
  });
  return { awaiting: items.filter((i) => !i.authorship), authored: items.filter((i) => i.authorship) };
}

/** How many submitted versions await the actor's decision (those they did not write), without analyzing them. */
export async function reviewQueueCount(pool: pg.Pool, actor: Actor): Promise<number> {
  const rows = await flowRepository(pool).submittedVersions(REVIEW_QUEUE_LIMIT);
  return rows.filter(({ version, authors }) => !authorshipOf(actor, version, authors)).length;
}
