import pg from 'pg';
import { contentHash } from '@/lib/crypto/content-hash';
import { isPgError, withTransaction, type Queryable } from './queryable';
import { UUID } from '@/lib/fields';

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

/** A flow without its draft: what a list or a write needs, read without shipping (or parsing) the document. */
export interface FlowHead extends Omit<Flow, 'draft'> {
  /** How many steps the draft has (counted by the database). */
  nodeCount: number;
}

/**
 * A draft to store: the document, its JSON text, or Postgres's binary
 * `jsonb` bytes (a version byte, then the text) as a worker thread wrote
 * them (lib/http/flow-body.ts), passed to the database as they are, so a
 * 10,000-step draft is never serialized on the server's one thread.
 */
export type DraftInput = Record<string, unknown> | string | Uint8Array;

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
  /**
   * Creates a flow, its first draft saved by `savedBy` (a user id); the
   * draft's own `id` is set to the flow's. Returns the stored draft as JSON
   * text. Throws FlowExistsError if the id is taken.
   */
  createFlow(flow: { id: string; name: string; draft: DraftInput; savedBy: string }): Promise<FlowHead & { draftText: string }>;
  getFlow(id: string): Promise<Flow | undefined>;
  /** The flow without its draft. */
  getFlowHead(id: string): Promise<FlowHead | undefined>;
  /** The flow with its draft as JSON text (the database writes it; nothing parses it here). */
  getFlowText(id: string): Promise<(FlowHead & { draftText: string }) | undefined>;
  /** Flows without their drafts, most recently edited first; archived ones only when asked. */
  listFlows(options?: { includeArchived?: boolean }): Promise<FlowHead[]>;
  /** Replaces the draft (and the name, if given), saved by `savedBy` (an author of the next version); undefined if there is no such flow. */
  updateDraft(id: string, change: { draft: DraftInput; name?: string; savedBy: string }): Promise<FlowHead | undefined>;
  /** Deletes a flow that never had a version; one with versions is kept (archive it instead). */
  deleteFlow(id: string): Promise<'deleted' | 'not-found' | 'has-versions'>;
  /** Freezes content as the flow's next version; the same content again returns the version it already is. */
  saveVersion(flowId: string, content: Record<string, unknown>, createdBy: string): Promise<FlowVersion>;
  /**
   * Freezes content as the flow's next version with status `submitted`; the
   * same content again returns the version it already is (`created: false`,
   * status unchanged: the caller decides whether it goes back to review).
   */
  submitVersion(flowId: string, content: Record<string, unknown>, createdBy: string): Promise<{ version: FlowVersion; created: boolean }>;
  getVersion(id: string): Promise<FlowVersion | undefined>;
  /**
   * Attaches `submitter` and everyone who saved the flow's draft since its
   * last approved version to a version as its authors (the database does it
   * itself for the version's creator when it is created or resubmitted).
   */
  attachAuthors(versionId: string, submitter: string): Promise<void>;
  /** Who wrote a version: the people who may never approve or reject it, sorted. */
  versionAuthors(versionId: string): Promise<string[]>;
  /** A version's status and a fingerprint of its stored JSON (md5 of its text), without shipping the content. */
  versionFingerprint(id: string): Promise<{ status: FlowVersionStatus; fingerprint: string } | undefined>;
  /** The version, locked for update until the caller's transaction ends. */
  lockVersion(id: string): Promise<FlowVersion | undefined>;
  /** A flow's versions, newest first. */
  listVersions(flowId: string): Promise<FlowVersion[]>;
  /** Each flow's newest version (without its content), by flow id: what the flow list shows as its review status. */
  latestVersions(): Promise<Map<string, Omit<FlowVersion, 'content'>>>;
  /** Submitted versions with their authors, oldest submission first, at most `limit`: the review queue. */
  submittedVersions(limit: number): Promise<{ version: FlowVersion; flowName: string; authors: string[] }[]>;
  /** The newest version of a flow that was approved (approved, active or paused), other than `exceptId`. */
  lastApprovedVersion(flowId: string, exceptId?: string): Promise<FlowVersion | undefined>;
  /** The id of the flow's active version; undefined when it has none (or there is no such flow). */
  activeVersionId(flowId: string): Promise<string | undefined>;
  /** Whether the version starts on a schedule (its trigger is a schedule). */
  startsOnSchedule(versionId: string): Promise<boolean>;
  /** The active versions whose trigger is the event `name`. */
  activeVersionsTriggeredBy(name: string): Promise<{ id: string; flowId: string }[]>;
  /** Moves a version to `to` if its status is one of `from`; undefined if it is not (or there is no such version). */
  setVersionStatus(id: string, to: FlowVersionStatus, from: readonly FlowVersionStatus[]): Promise<FlowVersion | undefined>;
  /**
   * Makes a version its flow's active one and pauses the one active before,
   * in one transaction (the caller's, or its own on a pool): never two
   * active, never none in between. Undefined if there is no such version.
   */
  activateVersion(id: string): Promise<{ version: FlowVersion; paused: FlowVersion[] } | undefined>;
}

interface FlowHeadRow {
  id: string;
  name: string;
  node_count: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

interface FlowRow extends Omit<FlowHeadRow, 'node_count'> {
  draft: Record<string, unknown>;
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
// A draft whose `nodes` is not an array (a draft mid-edit may be anything the save route let through) counts 0 steps.
const FLOW_HEAD_COLUMNS = `id, name, created_at, updated_at, archived_at,
  case when jsonb_typeof(draft->'nodes') = 'array' then jsonb_array_length(draft->'nodes') else 0 end as node_count`;
/** A draft parameter: text is already JSON, bytes are binary jsonb (pg sends a Buffer in binary format); an object is serialized here. */
const draftParam = (draft: DraftInput) =>
  typeof draft === 'string'
    ? draft
    : draft instanceof Uint8Array
      ? Buffer.from(draft.buffer, draft.byteOffset, draft.byteLength)
      : JSON.stringify(draft);
const VERSION_COLUMNS = 'id, flow_id, version, content, content_hash, status, created_by, created_at, status_changed_at';
// Concurrent saves of one flow can pick the same next number; the loser retries.
const SAVE_ATTEMPTS = 5;

/** Flows over a pool or a transaction's client. */
export function flowRepository(db: Queryable): FlowRepository {
  return {
    async createFlow(flow) {
      try {
        const { rows } = await db.query<FlowHeadRow & { draft_text: string }>(
          `insert into flows (id, name, draft, draft_saved_by)
           values ($1, $2, jsonb_set($3::jsonb, '{id}', to_jsonb($1::text)), $4)
           returning ${FLOW_HEAD_COLUMNS}, draft::text as draft_text`,
          [flow.id, flow.name, draftParam(flow.draft), flow.savedBy],
        );
        return { ...toFlowHead(rows[0]!), draftText: rows[0]!.draft_text };
      } catch (err) {
        if (isPgError(err, '23505', 'flows_pkey')) throw new FlowExistsError(flow.id);
        throw err;
      }
    },

    async getFlow(id) {
      const { rows } = await db.query<FlowRow>(`select ${FLOW_COLUMNS} from flows where id = $1`, [id]);
      return rows[0] && toFlow(rows[0]);
    },

    async getFlowHead(id) {
      const { rows } = await db.query<FlowHeadRow>(`select ${FLOW_HEAD_COLUMNS} from flows where id = $1`, [id]);
      return rows[0] && toFlowHead(rows[0]);
    },

    async getFlowText(id) {
      const { rows } = await db.query<FlowHeadRow & { draft_text: string }>(
        `select ${FLOW_HEAD_COLUMNS}, draft::text as draft_text from flows where id = $1`,
        [id],
      );
      return rows[0] && { ...toFlowHead(rows[0]), draftText: rows[0].draft_text };
    },

    async listFlows(options = {}) {
      const { rows } = await db.query<FlowHeadRow>(
        `select ${FLOW_HEAD_COLUMNS} from flows where $1 or archived_at is null order by updated_at desc, id`,
        [options.includeArchived ?? false],
      );
      return rows.map(toFlowHead);
    },

    async updateDraft(id, change) {
      const { rows } = await db.query<FlowHeadRow>(
        `update flows set draft = $2::jsonb, name = coalesce($3, name), draft_saved_by = $4 where id = $1 returning ${FLOW_HEAD_COLUMNS}`,
        [id, draftParam(change.draft), change.name ?? null, change.savedBy],
      );
      return rows[0] && toFlowHead(rows[0]);
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
      return (await insertVersion(db, flowId, content, createdBy, 'draft')).version;
    },

    submitVersion(flowId, content, createdBy) {
      return insertVersion(db, flowId, content, createdBy, 'submitted');
    },

    async getVersion(id) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where id = $1`, [id]);
      return rows[0] && toVersion(rows[0]);
    },

    async attachAuthors(versionId, submitter) {
      if (!UUID.test(versionId)) return;
      await db.query('select flow_version_attach_authors($1::uuid, $2)', [versionId, submitter]);
    },

    async versionAuthors(versionId) {
      if (!UUID.test(versionId)) return [];
      const { rows } = await db.query<{ author: string }>(
        `select author from flow_version_authors where flow_version_id = $1
         union select created_by from flow_versions where id = $1
         order by 1`,
        [versionId],
      );
      return rows.map((r) => r.author);
    },

    async versionFingerprint(id) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<{ status: FlowVersionStatus; fingerprint: string }>(
        `select status, md5(content::text) as fingerprint from flow_versions where id = $1`,
        [id],
      );
      return rows[0];
    },

    async lockVersion(id) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where id = $1 for update`, [id]);
      return rows[0] && toVersion(rows[0]);
    },

    async listVersions(flowId) {
      const { rows } = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where flow_id = $1 order by version desc`, [
        flowId,
      ]);
      return rows.map(toVersion);
    },

    async latestVersions() {
      const { rows } = await db.query<Omit<VersionRow, 'content'>>(
        `select distinct on (flow_id) id, flow_id, version, content_hash, status, created_by, created_at, status_changed_at
         from flow_versions order by flow_id, version desc`,
      );
      return new Map(rows.map((r) => [r.flow_id, omitContent(toVersion({ ...r, content: {} }))]));
    },

    async submittedVersions(limit) {
      const { rows } = await db.query<VersionRow & { flow_name: string; authors: string[] }>(
        `select ${VERSION_COLUMNS.split(', ')
          .map((c) => `v.${c}`)
          .join(', ')}, f.name as flow_name,
                array(select a.author from flow_version_authors a where a.flow_version_id = v.id
                      union select v.created_by order by 1) as authors
         from flow_versions v join flows f on f.id = v.flow_id
         where v.status = 'submitted'
         order by v.status_changed_at, v.id limit $1`,
        [limit],
      );
      return rows.map((r) => ({ version: toVersion(r), flowName: r.flow_name, authors: r.authors }));
    },

    async lastApprovedVersion(flowId, exceptId) {
      const { rows } = await db.query<VersionRow>(
        `select ${VERSION_COLUMNS} from flow_versions
         where flow_id = $1 and status in ('approved', 'active', 'paused') and id is distinct from $2::uuid
         order by version desc limit 1`,
        [flowId, exceptId !== undefined && UUID.test(exceptId) ? exceptId : null],
      );
      return rows[0] && toVersion(rows[0]);
    },

    async activeVersionId(flowId) {
      const { rows } = await db.query<{ id: string }>(`select id from flow_versions where flow_id = $1 and status = 'active'`, [flowId]);
      return rows[0]?.id;
    },

    async startsOnSchedule(versionId) {
      if (!UUID.test(versionId)) return false;
      const { rows } = await db.query<{ scheduled: boolean }>(
        `select content->'nodes' @> '[{"type":"trigger","data":{"kind":"schedule"}}]'::jsonb as scheduled from flow_versions where id = $1`,
        [versionId],
      );
      return rows[0]?.scheduled === true;
    },

    async activeVersionsTriggeredBy(name) {
      const { rows } = await db.query<{ id: string; flow_id: string }>(
        `select id, flow_id from flow_versions where status = 'active' and content->'nodes' @> $1::jsonb`,
        [JSON.stringify([{ type: 'trigger', data: { kind: 'event', event: name } }])],
      );
      return rows.map((r) => ({ id: r.id, flowId: r.flow_id }));
    },

    async setVersionStatus(id, to, from) {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query<VersionRow>(
        `update flow_versions set status = $2 where id = $1 and status = any($3::text[]) returning ${VERSION_COLUMNS}`,
        [id, to, [...from]],
      );
      return rows[0] && toVersion(rows[0]);
    },

    async activateVersion(id) {
      if (!UUID.test(id)) return undefined;
      const activate = async (tx: Queryable) => {
        // The flow's row is the lock that serialises activations of its versions.
        const target = await tx.query<{ flow_id: string }>(
          `select f.id as flow_id from flows f join flow_versions v on v.flow_id = f.id where v.id = $1 for update of f`,
          [id],
        );
        if (!target.rows[0]) return undefined;
        const paused = await tx.query<VersionRow>(
          `update flow_versions set status = 'paused' where flow_id = $1 and status = 'active' and id <> $2 returning ${VERSION_COLUMNS}`,
          [target.rows[0].flow_id, id],
        );
        await tx.query(`update flow_versions set status = 'active' where id = $1 and status <> 'active'`, [id]);
        const { rows } = await tx.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where id = $1`, [id]);
        return { version: toVersion(rows[0]!), paused: paused.rows.map(toVersion) };
      };
      return db instanceof pg.Pool ? withTransaction(db, activate) : activate(db);
    },
  };
}

async function insertVersion(
  db: Queryable,
  flowId: string,
  content: Record<string, unknown>,
  createdBy: string,
  status: FlowVersionStatus,
): Promise<{ version: FlowVersion; created: boolean }> {
  const hash = contentHash(content);
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await db.query<VersionRow>(
        `insert into flow_versions (flow_id, version, content, content_hash, created_by, status)
         select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 from flow_versions where flow_id = $1
         on conflict (flow_id, content_hash) do nothing
         returning ${VERSION_COLUMNS}`,
        [flowId, JSON.stringify(content), hash, createdBy, status],
      );
      if (rows[0]) return { version: toVersion(rows[0]), created: true };
      const existing = await db.query<VersionRow>(`select ${VERSION_COLUMNS} from flow_versions where flow_id = $1 and content_hash = $2`, [
        flowId,
        hash,
      ]);
      return { version: toVersion(existing.rows[0]!), created: false };
    } catch (err) {
      if (attempt < SAVE_ATTEMPTS && isPgError(err, '23505', 'flow_versions_flow_id_version_key')) continue;
      throw err;
    }
  }
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

function toFlowHead(row: FlowHeadRow): FlowHead {
  return {
    id: row.id,
    name: row.name,
    nodeCount: row.node_count,
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

function omitContent(v: FlowVersion): Omit<FlowVersion, 'content'> {
  const { content: _content, ...rest } = v;
  return rest;
}
