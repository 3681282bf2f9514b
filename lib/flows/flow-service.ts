import { z } from 'zod';
import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { FlowExistsError, flowRepository, type Flow, type FlowRepository } from '@/lib/db/flow-repository';
import { withTransaction } from '@/lib/db/queryable';
import { blankFlow, slugify, uniqueId } from '@/lib/editor/defaults';
import { serializeFlow } from '@/lib/editor/serialize';
import { parseFlow, parseFlowJson } from '@/lib/flow/parse';
import { flowDraftSchema, type FlowDocument, type FlowDraft } from '@/lib/flow/schema';
import { AppError } from '@/lib/app-error';
import { checkFlowSize } from './flow-limits';
import { problemDetails } from './problem-details';
import { TEMPLATES } from '@/workflows/index';

/** A flow as the list shows it. */
export interface FlowSummary {
  id: string;
  name: string;
  nodeCount: number;
  updatedAt: string;
  createdAt: string;
}

const name = z
  .string({ error: 'name the flow' })
  .max(120, { error: 'the name is longer than 120 characters' })
  .refine((s) => s.trim().length > 0, { error: 'name the flow' });

export const createBody = z.strictObject({
  name: name.optional(),
  brand: z.string().max(80, { error: 'the brand is longer than 80 characters' }).optional(),
  template: z.string().max(64).optional(),
});

export const renameBody = z.strictObject({ name });

export const importBody = z.union(
  [z.strictObject({ text: z.string({ error: 'paste the flow JSON' }) }), z.strictObject({ document: z.unknown() })],
  { error: 'send { "text": "<flow JSON>" } or { "document": { … } }' },
);

/** A draft to save: its size is checked (FLOW_LIMITS, 422) before the schema reads a step of it. */
export const saveBody = z.strictObject({
  draft: z.preprocess((draft) => {
    checkFlowSize(draft, 'draft');
    return draft;
  }, flowDraftSchema),
});

/**
 * The flows list and draft operations, for one actor; errors are AppErrors.
 * Every change and its audit entry are written in one transaction: a change
 * is never without its entry, nor an entry without its change.
 */
export function flowService(pool: pg.Pool, actor: Actor) {
  const by = actor.userId;
  const reads = flowRepository(pool);
  /** Runs `change` in a transaction and records `action` on the flow it returns, in the same transaction. */
  const audited = <T>(
    action: string,
    change: (repo: FlowRepository) => Promise<{ result: T; flowId: string; details?: Record<string, unknown> }>,
  ): Promise<T> =>
    withTransaction(pool, async (tx) => {
      const { result, flowId, details } = await change(flowRepository(tx));
      await recordAudit(tx, { actor: actorRef(actor), action, subjectType: 'flow', subjectId: flowId, details: details ?? {} });
      return result;
    });

  // A new flow from `doc`, under the next free id, created by the actor (the author of its first draft).
  const create = async (doc: FlowDocument, action: string, details: Record<string, unknown>): Promise<Flow> => {
    for (let attempt = 0; ; attempt++) {
      const id = uniqueId(doc.id, new Set((await reads.listFlows({ includeArchived: true })).map((f) => f.id)));
      try {
        return await audited(action, async (repo) => {
          const flow = await repo.createFlow({ id, name: doc.name, draft: { ...doc, id }, savedBy: by });
          return { result: flow, flowId: flow.id, details: { name: flow.name, ...details } };
        });
      } catch (err) {
        // Someone took the id between our look and our insert: pick the next (the failed transaction left nothing).
        if (err instanceof FlowExistsError && attempt < 3) continue;
        throw err;
      }
    }
  };

  const mustGet = async (id: string, repo: FlowRepository = reads): Promise<Flow> => {
    const flow = await repo.getFlow(id);
    if (!flow) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
    return flow;
  };

  return {
    async list(): Promise<FlowSummary[]> {
      return (await reads.listFlows()).map(summarize);
    },

    /** A new flow, blank or from a template. */
    async create(body: z.infer<typeof createBody>): Promise<Flow> {
      if (body.template !== undefined) {
        const template = TEMPLATES.find((t) => (t as { id?: string }).id === body.template);
        if (!template) throw new AppError('validation_failed', `there is no template "${body.template}"`, { path: 'template' });
        const doc = structuredClone(template) as FlowDocument;
        if (body.name !== undefined) doc.name = body.name.trim();
        return create(doc, 'flow.created', { template: body.template });
      }
      if (body.name === undefined) throw new AppError('validation_failed', 'name the flow', { path: 'name' });
      const brand = body.brand?.trim() || 'Your brand';
      return create(blankFlow(slugify(body.name), body.name.trim(), brand), 'flow.created', {});
    },

    get: (id: string) => mustGet(id),

    /** Saves the draft; the actor becomes an author of the version it turns into. */
    async saveDraft(id: string, draft: FlowDraft): Promise<Flow> {
      if (draft.id !== id)
        throw new AppError('validation_failed', `the draft's id "${draft.id}" is not this flow's id "${id}"`, { path: 'draft.id' });
      return audited('flow.draft_saved', async (repo) => {
        const saved = await repo.updateDraft(id, { draft, name: draft.name.trim(), savedBy: by });
        if (!saved) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
        return { result: saved, flowId: id, details: { nodes: draft.nodes.length, edges: draft.edges.length } };
      });
    },

    async rename(id: string, newName: string): Promise<Flow> {
      return audited('flow.renamed', async (repo) => {
        const flow = await mustGet(id, repo);
        const saved = await repo.updateDraft(id, { draft: { ...flow.draft, name: newName.trim() }, name: newName.trim(), savedBy: by });
        if (!saved) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
        return { result: saved, flowId: id, details: { name: newName } };
      });
    },

    async duplicate(id: string): Promise<Flow> {
      const flow = await mustGet(id);
      const copyName = `${flow.name} (copy)`.slice(0, 120);
      return create({ ...(flow.draft as FlowDocument), id: `${id.slice(0, 58)}-copy`, name: copyName }, 'flow.duplicated', { from: id });
    },

    async remove(id: string): Promise<void> {
      await audited('flow.deleted', async (repo) => {
        const outcome = await repo.deleteFlow(id);
        if (outcome === 'not-found') throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
        if (outcome === 'has-versions')
          throw new AppError('has_versions', 'this flow has published versions: it cannot be deleted, archive it instead');
        return { result: undefined, flowId: id };
      });
    },

    /** Imports a document: nothing is saved unless it is valid; every problem comes back with its path. */
    async importFlow(body: z.infer<typeof importBody>): Promise<Flow> {
      const parsed = 'text' in body ? parseFlowText(body.text) : parseFlow(checkedSize(body.document));
      if (!parsed.ok) {
        const n = parsed.problems.length;
        throw new AppError('invalid_flow', `the flow was not imported: ${n} problem${n === 1 ? '' : 's'} to fix`, {
          details: problemDetails(parsed.problems),
        });
      }
      return create(parsed.flow, 'flow.imported', {});
    },

    /** The draft as the exported file, refused while it is not a valid document. */
    async exportFlow(id: string): Promise<{ fileName: string; text: string }> {
      const flow = await mustGet(id);
      const parsed = parseFlow(flow.draft);
      if (!parsed.ok) {
        throw new AppError('invalid_flow', 'the draft is not a valid flow yet: fix its problems in the editor first', {
          details: parsed.problems.map((p) => ({ path: p.path, message: p.message })),
        });
      }
      const fileName = `${parsed.flow.id}.flow.json`;
      await recordAudit(pool, {
        actor: actorRef(actor),
        action: 'flow.exported',
        subjectType: 'flow',
        subjectId: id,
        details: { fileName },
      });
      return { fileName, text: serializeFlow(parsed.flow) };
    },
  };
}

export type FlowService = ReturnType<typeof flowService>;

function checkedSize(document: unknown): unknown {
  checkFlowSize(document);
  return document;
}

/** Pasted flow JSON: its size checked before the schema reads it; a syntax error named by line and column (parseFlowJson). */
function parseFlowText(text: string): ReturnType<typeof parseFlow> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseFlowJson(text);
  }
  return parseFlow(checkedSize(value));
}

/** A flow for the list. */
export function summarize(flow: Flow): FlowSummary {
  const nodes = (flow.draft as { nodes?: unknown }).nodes;
  return {
    id: flow.id,
    name: flow.name,
    nodeCount: Array.isArray(nodes) ? nodes.length : 0,
    updatedAt: flow.updatedAt.toISOString(),
    createdAt: flow.createdAt.toISOString(),
  };
}
