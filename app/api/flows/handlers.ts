import { flowRepository, type FlowRepository } from '../../../lib/db/flow-repository';
import { database } from '../../../lib/db/database';
import { json, readBody, route } from '../../../lib/http/route';
import { createBody, flowService, importBody, renameBody, saveBody, summarize } from './flow-service';

/** The route context Next passes to `[id]` handlers. */
export type IdContext = { params: Promise<{ id: string }> };

/** The process's flows, on `database()` (DATABASE_URL or the embedded server). */
export async function defaultFlowRepository(): Promise<FlowRepository> {
  return flowRepository((await database()).pool);
}

/** The /api/flows handlers over a repository (tests pass one on their own database). */
export function flowHandlers(getRepo: () => Promise<FlowRepository> = defaultFlowRepository) {
  const service = async () => flowService(await getRepo());
  return {
    list: route(async () => json({ flows: await (await service()).list() })),

    create: route(async (request: Request) => {
      const body = await readBody(request, createBody);
      const flow = await (await service()).create(body);
      return json({ flow: summarize(flow), draft: flow.draft }, { status: 201 });
    }),

    importFlow: route(async (request: Request) => {
      const body = await readBody(request, importBody);
      const flow = await (await service()).importFlow(body);
      return json({ flow: summarize(flow), draft: flow.draft }, { status: 201 });
    }),

    get: route(async (_request: Request, ctx: IdContext) => {
      const flow = await (await service()).get((await ctx.params).id);
      return json({ flow: summarize(flow), draft: flow.draft });
    }),

    save: route(async (request: Request, ctx: IdContext) => {
      const { draft } = await readBody(request, saveBody);
      const flow = await (await service()).saveDraft((await ctx.params).id, draft);
      return json({ flow: summarize(flow) });
    }),

    rename: route(async (request: Request, ctx: IdContext) => {
      const { name } = await readBody(request, renameBody);
      const flow = await (await service()).rename((await ctx.params).id, name);
      return json({ flow: summarize(flow) });
    }),

    remove: route(async (_request: Request, ctx: IdContext) => {
      await (await service()).remove((await ctx.params).id);
      return new Response(null, { status: 204 });
    }),

    duplicate: route(async (_request: Request, ctx: IdContext) => {
      const flow = await (await service()).duplicate((await ctx.params).id);
      return json({ flow: summarize(flow) }, { status: 201 });
    }),

    exportFlow: route(async (_request: Request, ctx: IdContext) => {
      const { fileName, text } = await (await service()).exportFlow((await ctx.params).id);
      return new Response(text, {
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"`, 'cache-control': 'no-store' },
      });
    }),
  };
}

/** The handlers the routes serve. */
export const handlers = flowHandlers();
