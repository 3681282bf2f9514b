import type pg from 'pg';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import type { Actor, Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { endpoints, idParams, jsonBody } from '@/lib/http/endpoint';
import { flowBody } from '@/lib/http/flow-body';
import { json, jsonWithText } from '@/lib/http/route';
import { z } from 'zod';
import { createBody, editorViewText, flowService, renameBody, summarize } from '@/lib/flows';

/** The process's pool, on `database()` (DATABASE_URL or the embedded server). */
export async function defaultPool(): Promise<pg.Pool> {
  return (await database()).pool;
}

const viewQuery = z.object({
  view: z
    .enum(['editor'], { error: (issue) => `view=${String(issue.input)} is not a view of a flow: use view=editor, or leave it out` })
    .optional(),
});

/** The /api/flows handlers over a pool (tests pass their own database and who is calling). */
export function flowHandlers(getPool: () => Promise<pg.Pool> = defaultPool, authenticate: Authenticate = processAuthenticate) {
  const endpoint = endpoints({ authenticate });
  const service = async (actor: Actor) => flowService(await getPool(), actor);

  return {
    list: endpoint({ access: 'read' }, async ({ actor }) => json({ flows: await (await service(actor)).list() })),

    create: endpoint({ access: 'flows.edit', body: jsonBody(createBody) }, async ({ actor, body }) => {
      return json(await (await service(actor)).create(body), { status: 201 });
    }),

    importFlow: endpoint({ access: 'flows.transfer', body: flowBody('import') }, async ({ actor, body }) => {
      const { flow, draftText } = await (await service(actor)).importFlow(body);
      return jsonWithText({ flow }, { draft: draftText }, { status: 201 });
    }),

    /** The flow and its draft; with `?view=editor`, what the editor opens with (lib: editorView). */
    get: endpoint({ access: 'read', query: viewQuery, params: idParams }, async ({ actor, query: { view }, params }) => {
      const { draftText, ...flow } = await (await service(actor)).getText(params.id);
      if (view === 'editor') {
        const editor = editorViewText(flow, draftText);
        return jsonWithText(editor.view, { draft: editor.draftText });
      }
      return jsonWithText({ flow: summarize(flow) }, { draft: draftText });
    }),

    save: endpoint({ access: 'flows.edit', body: flowBody('save'), params: idParams }, async ({ actor, body: draft, params }) =>
      json({ flow: await (await service(actor)).saveDraft(params.id, draft) }),
    ),

    rename: endpoint({ access: 'flows.edit', body: jsonBody(renameBody), params: idParams }, async ({ actor, body: { name }, params }) => {
      const flow = await (await service(actor)).rename(params.id, name);
      return json({ flow: summarize(flow) });
    }),

    remove: endpoint({ access: 'flows.edit', params: idParams }, async ({ actor, params: { id } }) => {
      await (await service(actor)).remove(id);
      return new Response(null, { status: 204 });
    }),

    duplicate: endpoint({ access: 'flows.edit', params: idParams }, async ({ actor, params: { id } }) => {
      const flow = await (await service(actor)).duplicate(id);
      return json({ flow: summarize(flow) }, { status: 201 });
    }),

    exportFlow: endpoint({ access: 'flows.transfer', params: idParams }, async ({ actor, params: { id } }) => {
      const { fileName, text } = await (await service(actor)).exportFlow(id);
      return new Response(text, {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${fileName}"`,
          'cache-control': 'no-store',
        },
      });
    }),
  };
}

/** The handlers the routes serve. */
export const handlers = flowHandlers();
