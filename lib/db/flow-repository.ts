import { contentHash } from '../crypto/content-hash';
import { isPgError, type Queryable } from './queryable';

/** Flows (editable drafts) and their versions (frozen, identified by content hash). */

export type FlowVersionStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'active' | 'paused';

export interface Flow {
  id: string;
  name: string;
  draft: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date;
}

export interface FlowVersion {
  id: string;
  flowId: string;
  /** 1, 2, 3, … within the flow. */
  version: number;
  content: Record<string, unknown>;
  /** SHA-256 of the content's canonical JSON (lib/crypto/content-hash.ts). */
  contentHash: string;
  status: FlowVersionStatus;
  createdBy: string;
  createdAt: Date;
  statusChangedAt: Date;
}

/** A flow with this id already exists. */
export class FlowExistsError extends Error {
  constructor(readonly flowId: string) {
    super(`a flow with id "${flowId}" already exists`);
    this.name = 'FlowExistsError';
  }
}

export interface FlowRepository {
  /** Creates a flow; throws FlowExistsError if the id is taken. */
  createFlow(flow: { id: string; name: string; draft: Record<string, unknown> }): Promise<Flow>;
  getFlow(id: string): Promise<Flow | undefined>;
  /** Flows, most recently edited first; archived ones only when asked. */
  listFlows(options?: { includeArchived?: boolean }): Promise<Flow[]>;
  /** Replaces the draft (and the name, if given); undefined if there is no such flow. */
  updateDraft(id: string, change: { draft: Record<string, unknown>; name?: string }): Promise<Flow | undefined>;
  /** Deletes a flow that never had a version; one with versions is kept (archive it instead). */
  deleteFlow(id: string): Promise<'deleted' | 'not-found' | 'has-versions'>;
  /** Freezes content as the flow's next version; the same content again returns the version it already is. */
  saveVersion(flowId: string, content: Record<string, unknown>, createdBy: string): Promise<FlowVersion>;
  getVersion(id: string): Promise<FlowVersion | undefined>;
  /** A flow's versions, newest first. */
  listVersions(flowId: string): Promise<FlowVersion[]>;
  /** Makes a version its flow's active one, pausing the one active before (in one transaction). */
  activateVersion(id: string): Promise<FlowVersion>;
}

interface FlowRow {
  id: string;
  name: string;
  draft: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

interface VersionRow {
  id: string;
  flow_id: string;
  version: number;
  content: Record<string, unknown>;
  content_hash: string;
  status: FlowVersionStatus;
  created_by: string;
  created_at: Date;
  status_changed_at: Date;
}

const FLOW_COLUMNS = 'id, name, draft, created_at, updated_at, archived_at';
const VERSION_COLUMNS = 'id, flow_id, version, content, content_hash, status, created_by, created_at, status_changed_at';
// Concurrent saves of one flow can pick the same next number; the loser retries.
const SAVE_ATTEMPTS = 5;

/** Flows over a pool or a transaction's client. */
export function flowRepository(db: Queryable): FlowRepository {
  return {
    async createFlow(flow) {
      try {
        const { rows } = await db.query<FlowRow>(
          `insert into flows (id, name, draft) values ($1, $2, $3) returning ${FLOW_COLUMNS}`,
          [flow.id, flow.name, JSON.stringify(flow.draft)],
        );
        return toFlow(rows[0]!);
      } catch (err) {
        if (isPgError(err, '23505', 'flows_pkey')) throw new FlowExistsError(flow.id);
        throw err;
      }
    },

    async getFlow(id) {
      const { rows } = await db.query<FlowRow>(`select ${FLOW_COLUMNS} from flows where id = $1`, [id]);
      return rows[0] && toFlow(rows[0]);
    },

    async listFlows(options = {}) {
      const { rows } = await db.query<FlowRow>(
        `select ${FLOW_COLUMNS} from flows where $1 or archived_at is null order by updated_at desc, id`,
        [options.includeArchived ?? false],
      );
      return rows.map(toFlow);
    },

    async updateDraft(id, change) {
      const { rows } = await db.query<FlowRow>(
        `update flows set draft = $2, name = coalesce($3, name) where id = $1 returning ${FLOW_COLUMNS}`,
        [id, JSON.stringify(change.draft), change.name ?? null],
      );
      return rows[0] && toFlow(rows[0]);
    },

    async deleteFlow(id) {
      const { rows } = await db.query<{ outcome: 'deleted' | 'not-found' | 'has-versions' }>(
        `with doomed as (
           delete from flows f where f.id = $1
             and not exists (select 1 from flow_versions v where v.flow_id = f.id)
           returning 1)
         select case
           when exists (select 1 from doomed) then 'deleted'
           when exists (select 1 from flows where id = $1) then 'has-versions'
           else 'not-found' end as outcome`,
        [id],
      );
      return rows[0]!.outcome;
    },

    async saveVersion(flowId, content, createdBy) {
      const hash = contentHash(content);
      for (let attempt = 1; ; attempt++) {
        try {
          const { rows } = await db.query<VersionRow>(
            `insert into flow_versions (flow_id, version, content, content_hash, created_by)
             select $1, coalesce(max(version), 0) + 1, $2, $3, $4 from flow_versions where flow_id = $1
             on conflict (flow_id, content_hash) do nothing
             returning ${VERSION_COLUMNS}`,
            [flowId, JSON.stringify(content), hash, createdBy],
          );
          if (rows[0]) return toVersion(rows[0]);
          const existing = await db.query<VersionRow>(
            `select ${VERSION_COLUMNS} from flow_versions where flow_id = $1 and content_hash = $2`,
            [flowId, hash],
          );
          return toVersion(existing.rows[0]!);
        } catch (err) {
          if (attempt < SAVE_ATTEMPTS && isPgError(err, '23505', 'flow_versions_flow_id_version_key')) continue;
          throw err;
        }
      }
    },

    async getVersion(id) {
      const { rows } = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where id = $1`, [id]);
      return rows[0] && toVersion(rows[0]);
    },

    async listVersions(flowId) {
      const { rows } = await db.query<VersionRow>(
        `select ${VERSION_COLUMNS} from flow_versions where flow_id = $1 order by version desc`,
        [flowId],
      );
      return rows.map(toVersion);
    },

    async activateVersion(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`"${id}" is not a version id`);
      // One simple-protocol query with two statements runs as one transaction
      // (on a pool or inside the caller's): never two active, never none between.
      await db.query(
        `update flow_versions set status = 'paused' where flow_id = (select flow_id from flow_versions where id = '${id}') and status = 'active' and id <> '${id}';
         update flow_versions set status = 'active' where id = '${id}' and status <> 'active'`,
      );
      const { rows } = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where id = $1`, [id]);
      if (!rows[0]) throw new Error(`there is no flow version ${id}`);
      return toVersion(rows[0]);
    },
  };
}

function toFlow(row: FlowRow): Flow {
  return {
    id: row.id,
    name: row.name,
    draft: row.draft,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    archivedAt: row.archived_at ?? undefined,
  };
}

function toVersion(row: VersionRow): FlowVersion {
  return {
    id: row.id,
    flowId: row.flow_id,
    version: row.version,
    content: row.content,
    contentHash: row.content_hash,
    status: row.status,
    createdBy: row.created_by,
    createdAt: row.created_at,
    statusChangedAt: row.status_changed_at,
  };
}
