import type pg from 'pg';
import { guard } from '../../../lib/auth/guard';
import { authenticate as processAuthenticate } from '../../../lib/auth/request-actor';
import { actorRef, type Actor, type Authenticate } from '../../../lib/auth/roles';
import { recordAudit } from '../../../lib/db/audit-repository';
import { database } from '../../../lib/db/database';
import { flowRepository } from '../../../lib/db/flow-repository';
import { json, readBody } from '../../../lib/http/route';
import { AppError } from '../../../lib/http/app-error';
import { createBody, editorView, flowService, importBody, renameBody, saveBody, summarize } from './flow-service';

/** The route context Next passes to `[id]` handlers. */
export type IdContext = { params: Promise<{ id: string }> };

/** The process's pool, on `database()` (DATABASE_URL or the embedded server). */
export async function defaultPool(): Promise<pg.Pool> {
  return (await database()).pool;
}

/** The process's flows repository (for server-rendered pages). */
export async function defaultFlowRepository() {
  return flowRepository(await defaultPool());
}

/** The /api/flows handlers over a pool (tests pass their own database and who is calling). */
export function flowHandlers(getPool: () => Promise<pg.Pool> = defaultPool, authenticate: Authenticate = processAuthenticate) {
  const allow = guard(authenticate);
  const service = async () => flowService(flowRepository(await getPool()));
  const audit = async (actor: Actor, action: string, flowId: string, details: Record<string, unknown> = {}) =>
    recordAudit(await getPool(), { actor: actorRef(actor), action, subjectType: 'flow', subjectId: flowId, details });

  return {
    list: allow('read', async () => json({ flows: await (await service()).list() })),

    create: allow('flows.edit', async (actor, request: Request) => {
      const body = await readBody(request, createBody);
      const flow = await (await service()).create(body, actor.userId);
      await audit(actor, 'flow.created', flow.id, { name: flow.name, ...(body.template ? { template: body.template } : {}) });
      return json({ flow: summarize(flow), draft: flow.draft }, { status: 201 });
    }),

    importFlow: allow('flows.transfer', async (actor, request: Request) => {
      const body = await readBody(request, importBody);
      const flow = await (await service()).importFlow(body, actor.userId);
      await audit(actor, 'flow.imported', flow.id, { name: flow.name });
      return json({ flow: summarize(flow), draft: flow.draft }, { status: 201 });
    }),

    /** The flow and its draft; with `?view=editor`, what the editor opens with (lib: editorView). */
    get: allow('read', async (_actor, request: Request, ctx: IdContext) => {
      const view = new URL(request.url).searchParams.get('view');
      if (view !== null && view !== 'editor') throw new AppError('bad_request', `view=${view} is not a view of a flow: use view=editor, or leave it out`, { path: 'view' });
      const flow = await (await service()).get((await ctx.params).id);
      return json(view === 'editor' ? editorView(flow) : { flow: summarize(flow), draft: flow.draft });
    }),

    save: allow('flows.edit', async (actor, request: Request, ctx: IdContext) => {
      const { draft } = await readBody(request, saveBody);
      const flow = await (await service()).saveDraft((await ctx.params).id, draft, actor.userId);
      await audit(actor, 'flow.draft_saved', flow.id, { nodes: draft.nodes.length, edges: draft.edges.length });
      return json({ flow: summarize(flow) });
    }),

    rename: allow('flows.edit', async (actor, request: Request, ctx: IdContext) => {
      const { name } = await readBody(request, renameBody);
      const flow = await (await service()).rename((await ctx.params).id, name, actor.userId);
      await audit(actor, 'flow.renamed', flow.id, { name });
      return json({ flow: summarize(flow) });
    }),

    remove: allow('flows.edit', async (actor, _request: Request, ctx: IdContext) => {
      const { id } = await ctx.params;
      await (await service()).remove(id);
      await audit(actor, 'flow.deleted', id);
      return new Response(null, { status: 204 });
    }),

    duplicate: allow('flows.edit', async (actor, _request: Request, ctx: IdContext) => {
      const { id } = await ctx.params;
      const flow = await (await service()).duplicate(id, actor.userId);
      await audit(actor, 'flow.duplicated', flow.id, { from: id });
      return json({ flow: summarize(flow) }, { status: 201 });
    }),

    exportFlow: allow('flows.transfer', async (actor, _request: Request, ctx: IdContext) => {
      const { id } = await ctx.params;
      const { fileName, text } = await (await service()).exportFlow(id);
      await audit(actor, 'flow.exported', id, { fileName });
      return new Response(text, {
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
      });
    }),
  };
}

/** The handlers the routes serve. */
export const handlers = flowHandlers();
