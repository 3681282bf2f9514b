import { z } from 'zod';
import type pg from 'pg';
import { actorRef, type Actor } from '@/lib/access/roles';
import { recordAudit } from '@/lib/db/audit-repository';
import { FlowExistsError, flowRepository, type Flow, type FlowHead, type FlowRepository } from '@/lib/db/flow-repository';
import { withTransaction } from '@/lib/db/queryable';
import { blankFlow, slugify, uniqueId } from '@/lib/editor/defaults';
import { serializeFlow } from '@/lib/editor/serialize';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import { AppError } from '@/lib/app-error';
import type { FlowText } from './flow-bodies';
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

  // A new flow from `doc` (or its JSON text), under the next free id, created by the actor (the author of its first draft).
  const create = async (
    doc: FlowDocument | FlowText,
    action: string,
    details: Record<string, unknown>,
  ): Promise<FlowHead & { draftText: string }> => {
    const draft = 'jsonb' in doc ? doc.jsonb : (doc as unknown as Record<string, unknown>);
    for (let attempt = 0; ; attempt++) {
      const id = uniqueId(doc.id, new Set((await reads.listFlows({ includeArchived: true })).map((f) => f.id)));
      try {
        return await audited(action, async (repo) => {
          // The repository sets the stored draft's id to the flow's.
          const flow = await repo.createFlow({ id, name: doc.name, draft, savedBy: by });
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

    /** A new flow, blank or from a template, with its draft. */
    async create(body: z.infer<typeof createBody>): Promise<{ flow: FlowSummary; draft: FlowDocument }> {
      const made = async (doc: FlowDocument, details: Record<string, unknown>) => {
        const flow = await create(doc, 'flow.created', details);
        return { flow: summarize(flow), draft: { ...doc, id: flow.id } };
      };
      if (body.template !== undefined) {
        const template = TEMPLATES.find((t) => (t as { id?: string }).id === body.template);
        if (!template) throw new AppError('validation_failed', `there is no template "${body.template}"`, { path: 'template' });
        const doc = structuredClone(template) as FlowDocument;
        if (body.name !== undefined) doc.name = body.name.trim();
        return made(doc, { template: body.template });
      }
      if (body.name === undefined) throw new AppError('validation_failed', 'name the flow', { path: 'name' });
      const brand = body.brand?.trim() || 'Your brand';
      return made(blankFlow(slugify(body.name), body.name.trim(), brand), {});
    },

    get: (id: string) => mustGet(id),

    /** The flow with its draft as JSON text, as the database wrote it (nothing parses a big draft on the way out). */
    async getText(id: string): Promise<FlowHead & { draftText: string }> {
      const flow = await reads.getFlowText(id);
      if (!flow) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
      return flow;
    },

    /** Saves the draft (read by `readSaveBody`, as JSON text); the actor becomes an author of the version it turns into. */
    async saveDraft(id: string, draft: FlowText): Promise<FlowSummary> {
      if (draft.id !== id)
        throw new AppError('validation_failed', `the draft's id "${draft.id}" is not this flow's id "${id}"`, { path: 'draft.id' });
      return audited('flow.draft_saved', async (repo) => {
        const saved = await repo.updateDraft(id, { draft: draft.jsonb, name: draft.name.trim(), savedBy: by });
        if (!saved) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
        return { result: summarize(saved), flowId: id, details: { nodes: draft.steps, edges: draft.edges } };
      });
    },

    async rename(id: string, newName: string): Promise<FlowHead> {
      return audited('flow.renamed', async (repo) => {
        const flow = await mustGet(id, repo);
        const saved = await repo.updateDraft(id, { draft: { ...flow.draft, name: newName.trim() }, name: newName.trim(), savedBy: by });
        if (!saved) throw new AppError('not_found', `there is no flow "${id}"`, { path: 'id' });
        return { result: saved, flowId: id, details: { name: newName } };
      });
    },

    async duplicate(id: string): Promise<FlowHead> {
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

    /**
     * Stores an imported document (read by `readImportBody`, as JSON text): a
     * new flow under the document's id or the next free one.
     */
    async importFlow(doc: FlowText): Promise<{ flow: FlowSummary; draftText: string }> {
      const flow = await create(doc, 'flow.imported', {});
      return { flow: summarize(flow), draftText: flow.draftText };
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

/** A flow for the list. */
export function summarize(flow: Flow | FlowHead): FlowSummary {
  const nodes = 'draft' in flow ? (flow.draft as { nodes?: unknown }).nodes : undefined;
  return {
    id: flow.id,
    name: flow.name,
    nodeCount: 'nodeCount' in flow ? flow.nodeCount : Array.isArray(nodes) ? nodes.length : 0,
    updatedAt: flow.updatedAt.toISOString(),
    createdAt: flow.createdAt.toISOString(),
  };
}
