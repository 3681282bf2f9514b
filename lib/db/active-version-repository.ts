import type { FlowDocument } from '@/lib/flow/schema';
import type { Queryable } from './queryable';

/** A flow's active version as the runtime starts runs on it: its content and a fingerprint of the stored JSON (md5 of its text). */
export interface ActiveVersion {
  id: string;
  flowId: string;
  /** Validated when it was saved: a version is frozen. */
  content: FlowDocument;
  fingerprint: string;
}

const COLUMNS = 'id, flow_id, content, md5(content::text) as fingerprint';

const toActive = (r: Record<string, unknown>): ActiveVersion => ({
  id: r.id as string,
  flowId: r.flow_id as string,
  content: r.content as FlowDocument,
  fingerprint: r.fingerprint as string,
});

/** The versions runs start on: at most one active version per flow. */
export function activeVersionRepository(db: Queryable) {
  return {
    /** The flow's active version; undefined when it has none (paused, or never activated). */
    async ofFlow(flowId: string): Promise<ActiveVersion | undefined> {
      const { rows } = await db.query(`select ${COLUMNS} from flow_versions where flow_id = $1 and status = 'active'`, [flowId]);
      return rows[0] && toActive(rows[0]);
    },

    /** The active versions whose trigger is a keyword, by flow id. */
    async withKeywordTrigger(): Promise<ActiveVersion[]> {
      const { rows } = await db.query(
        `select ${COLUMNS} from flow_versions where status = 'active' and content->'nodes' @> '[{"type":"trigger","data":{"kind":"keyword"}}]'::jsonb order by flow_id`,
      );
      return rows.map(toActive);
    },
  };
}
