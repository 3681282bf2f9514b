import type pg from 'pg';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import type { Actor, Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { emptyResponse, endpoints, errorAnswer, idParams, jsonBody, jsonResponse } from '@/lib/http/endpoint';
import { flowBody } from '@/lib/http/flow-body';
import { json, jsonWithText } from '@/lib/http/route';
import { z } from 'zod';
import { createBody, editorViewText, flowService, renameBody, summarize } from '@/lib/flows';
import { editorViewBody, flowDocument, flowList, flowOnly, flowWithDraft } from './flow-responses';

const notFound = errorAnswer('There is no flow with this id.');

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
    list: endpoint(
      {
        access: 'read',
        doc: {
          id: 'listFlows',
          summary: 'List the flows',
          description: 'The flows, most recently edited first.',
          responses: {
            200: jsonResponse('The flows.', flowList, {
              flows: [
                {
                  id: 'pay-by-text',
                  name: 'Pay by text',
                  nodeCount: 7,
                  updatedAt: '2026-12-01T10:00:00.000Z',
                  createdAt: '2026-11-20T09:00:00.000Z',
                },
              ],
            }),
          },
        },
      },
      async ({ actor }) => json({ flows: await (await service(actor)).list() }),
    ),

    create: endpoint(
      {
        access: 'flows.edit',
        body: jsonBody(createBody),
        doc: {
          id: 'createFlow',
          summary: 'Create a flow',
          description: 'A blank flow (`{ name, brand? }`) or a copy of a built-in template (`{ template }`); its id comes from the name.',
          example: { name: 'Spring promo', brand: 'Acme' },
          responses: { 201: jsonResponse('The new flow and its draft.', flowWithDraft) },
        },
      },
      async ({ actor, body }) => json(await (await service(actor)).create(body), { status: 201 }),
    ),

    importFlow: endpoint(
      {
        access: 'flows.transfer',
        body: flowBody('import'),
        doc: {
          id: 'importFlow',
          summary: 'Import a flow',
          description:
            'A flow file as text (`{ text }`) or as JSON (`{ document }`); an invalid one saves nothing and lists every problem.',
          responses: {
            201: jsonResponse('The imported flow and its draft.', flowWithDraft),
            422: errorAnswer('The flow is not valid: `details` lists every problem with its path.'),
          },
        },
      },
      async ({ actor, body }) => {
        const { flow, draftText } = await (await service(actor)).importFlow(body);
        return jsonWithText({ flow }, { draft: draftText }, { status: 201 });
      },
    ),

    /** The flow and its draft; with `?view=editor`, what the editor opens with (lib: editorView). */
    get: endpoint(
      {
        access: 'read',
        query: viewQuery,
        params: idParams,
        doc: {
          id: 'getFlow',
          summary: 'Get a flow',
          description:
            "The flow and its draft; with `?view=editor`, also the analyzer's findings on the draft (what the editor opens with).",
          responses: {
            200: jsonResponse('The flow and its draft (with `findings` for `view=editor`).', z.union([flowWithDraft, editorViewBody])),
            404: notFound,
          },
        },
      },
      async ({ actor, query: { view }, params }) => {
        const { draftText, ...flow } = await (await service(actor)).getText(params.id);
        if (view === 'editor') {
          const editor = editorViewText(flow, draftText);
          return jsonWithText(editor.view, { draft: editor.draftText });
        }
        return jsonWithText({ flow: summarize(flow) }, { draft: draftText });
      },
    ),

    save: endpoint(
      {
        access: 'flows.edit',
        body: flowBody('save'),
        params: idParams,
        doc: {
          id: 'saveFlowDraft',
          summary: "Save a flow's draft",
          description: 'Replaces the draft with `{ draft }`; a draft may be unfinished, approval checks it.',
          responses: { 200: jsonResponse('The saved flow.', flowOnly), 404: notFound },
        },
      },
      async ({ actor, body: draft, params }) => json({ flow: await (await service(actor)).saveDraft(params.id, draft) }),
    ),

    rename: endpoint(
      {
        access: 'flows.edit',
        body: jsonBody(renameBody),
        params: idParams,
        doc: {
          id: 'renameFlow',
          summary: 'Rename a flow',
          example: { name: 'Spring promo 2' },
          responses: { 200: jsonResponse('The renamed flow.', flowOnly), 404: notFound },
        },
      },
      async ({ actor, body: { name }, params }) => {
        const flow = await (await service(actor)).rename(params.id, name);
        return json({ flow: summarize(flow) });
      },
    ),

    remove: endpoint(
      {
        access: 'flows.edit',
        params: idParams,
        doc: {
          id: 'deleteFlow',
          summary: 'Delete a flow',
          description: 'Only a flow that never had a version (a version is kept for the audit).',
          responses: { 204: emptyResponse('Deleted.'), 404: notFound, 409: errorAnswer('The flow has versions (`has_versions`).') },
        },
      },
      async ({ actor, params: { id } }) => {
        await (await service(actor)).remove(id);
        return new Response(null, { status: 204 });
      },
    ),

    duplicate: endpoint(
      {
        access: 'flows.edit',
        params: idParams,
        doc: {
          id: 'duplicateFlow',
          summary: 'Duplicate a flow',
          description: "A copy of the flow's draft under a new id.",
          responses: { 201: jsonResponse('The copy.', flowOnly), 404: notFound },
        },
      },
      async ({ actor, params: { id } }) => {
        const flow = await (await service(actor)).duplicate(id);
        return json({ flow: summarize(flow) }, { status: 201 });
      },
    ),

    exportFlow: endpoint(
      {
        access: 'flows.transfer',
        params: idParams,
        doc: {
          id: 'exportFlow',
          summary: 'Export a flow',
          description: 'The draft as a file (what `optline validate` and the import read).',
          responses: { 200: jsonResponse('The flow file (a flow document), as an attachment.', flowDocument), 404: notFound },
        },
      },
      async ({ actor, params: { id } }) => {
        const { fileName, text } = await (await service(actor)).exportFlow(id);
        return new Response(text, {
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-disposition': `attachment; filename="${fileName}"`,
            'cache-control': 'no-store',
          },
        });
      },
    ),
  };
}

/** The handlers the routes serve. */
export const handlers = flowHandlers();
