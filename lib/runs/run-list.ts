import type { RunCursor, RunListFilter, RunStatus, runQueries } from '@/lib/db/run-queries';
import { maskPhone } from './mask-phone';

/** One row of GET /api/runs. */
export interface RunListItem {
  id: string;
  flow: { id: string; name: string; version: number };
  contact: { id: string; phone: string | null; name: string | null };
  status: RunStatus;
  node: string | null;
  startedAt: string;
  endedAt: string | null;
  stopReason: string | null;
}

/** The body of GET /api/runs. */
export interface RunListResponse {
  runs: RunListItem[];
  nextCursor: string | null;
}

/** A page cursor as the client holds it: `<started micros>_<run id>`. */
export const encodeRunCursor = (c: RunCursor) => `${c.startedMicros}_${c.id}`;

/** The cursor a client sent back (already checked against its pattern). */
export const decodeRunCursor = (text: string): RunCursor => {
  const at = text.indexOf('_');
  return { startedMicros: text.slice(0, at), id: text.slice(at + 1) };
};

/** A page of runs, newest first, with contacts' phone numbers masked. */
export async function runListPage(queries: ReturnType<typeof runQueries>, filter: RunListFilter): Promise<RunListResponse> {
  const page = await queries.listRuns(filter);
  return {
    runs: page.rows.map((r): RunListItem => ({
      id: r.id,
      flow: { id: r.flowId, name: r.flowName, version: r.version },
      contact: { id: r.contactId, phone: maskPhone(r.phone), name: r.name },
      status: r.status,
      node: r.node,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      stopReason: r.stopReason,
    })),
    nextCursor: page.nextCursor ? encodeRunCursor(page.nextCursor) : null,
  };
}
