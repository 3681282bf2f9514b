import type pg from 'pg';
import type { Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { endpoints, errorAnswer, idParams, jsonBody, jsonResponse, versionIdParams } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { reviewBody, versionService } from '@/lib/flows';
import { activateResult, decideResult, pauseResult, submitResult, versionDetail, versionList } from '@/app/api/flows/flow-responses';

const noFlow = errorAnswer('There is no flow with this id.');
const noVersion = errorAnswer('There is no version with this id.');
const refused = errorAnswer('The version is not in a state that allows this (`conflict`), with the reason.');

/** The versions, review and activation API over a pool (tests pass their own database and actors). */
export function versionHandlers(deps: { authenticate: Authenticate; pool?: () => Promise<pg.Pool> }) {
  const service = async () => versionService(deps.pool ? await deps.pool() : (await database()).pool);
  const endpoint = endpoints(deps);
  return {
    /** GET /api/flows/:id/versions: the flow's versions, newest first. */
    list: endpoint(
      {
        access: 'read',
        params: idParams,
        doc: {
          id: 'listFlowVersions',
          summary: "List a flow's versions",
          description: 'Newest first.',
          responses: { 200: jsonResponse('The flow and its versions.', versionList), 404: noFlow },
        },
      },
      async ({ params }) => {
        return json(await (await service()).list(params.id));
      },
    ),

    /** POST /api/flows/:id/versions: freezes the draft as a version submitted for review. */
    submit: endpoint(
      {
        access: 'flows.edit',
        params: idParams,
        doc: {
          id: 'submitFlowVersion',
          summary: 'Submit the draft for review',
          description:
            'Freezes the draft as an immutable version submitted for review; a draft with the same content as an existing version reuses it.',
          responses: {
            201: jsonResponse('A new version, submitted.', submitResult),
            200: jsonResponse('An existing version with the same content (resubmitted or unchanged).', submitResult),
            404: noFlow,
            422: errorAnswer('The draft is not a valid flow; `details` lists the problems.'),
          },
        },
      },
      async ({ actor, params }) => {
        const result = await (await service()).submit(params.id, actor);
        return json(result, { status: result.outcome === 'created' ? 201 : 200 });
      },
    ),

    /** GET /api/versions/:versionId: the review page's data (report, diff, machine, reviews, canDecide). */
    get: endpoint(
      {
        access: 'read',
        params: versionIdParams,
        doc: {
          id: 'getVersion',
          summary: 'Get a version',
          description:
            'The version, its analyzer report, the diff against the last approved version, the compiled machine, its reviews and whether you may decide on it.',
          responses: { 200: jsonResponse('The version and its review data.', versionDetail), 404: noVersion },
        },
      },
      async ({ actor, params }) => {
        return json(await (await service()).detail(params.versionId, actor));
      },
    ),

    /** POST /api/versions/:versionId/review `{ decision, comment?, acknowledgedWarnings }`. */
    review: endpoint(
      {
        access: 'reviews.decide',
        params: versionIdParams,
        body: jsonBody(reviewBody),
        doc: {
          id: 'reviewVersion',
          summary: 'Approve or reject a version',
          description: 'No author of the version may decide on it. An approval acknowledges every warning of the report.',
          example: { decision: 'approved', comment: 'Checked the copy with legal.', acknowledgedWarnings: [] },
          responses: { 201: jsonResponse('The version and the review.', decideResult), 404: noVersion, 409: refused },
        },
      },
      async ({ actor, params, body }) => {
        return json(await (await service()).decide(params.versionId, actor, body), { status: 201 });
      },
    ),

    /** POST /api/versions/:versionId/activate: makes an approved version live, pausing the one before. */
    activate: endpoint(
      {
        access: 'flows.activate',
        params: versionIdParams,
        doc: {
          id: 'activateVersion',
          summary: 'Activate a version',
          description: 'Makes an approved version whose approval still holds the one that runs; the version active before is paused.',
          responses: { 200: jsonResponse('The active version and the ones paused.', activateResult), 404: noVersion, 409: refused },
        },
      },
      async ({ actor, params }) => {
        return json(await (await service()).activate(params.versionId, actor));
      },
    ),

    /** POST /api/versions/:versionId/pause: stops new runs of the active version. */
    pause: endpoint(
      {
        access: 'flows.activate',
        params: versionIdParams,
        doc: {
          id: 'pauseVersion',
          summary: 'Pause the active version',
          description: 'No new runs start on it; runs under way finish on it.',
          responses: { 200: jsonResponse('The paused version.', pauseResult), 404: noVersion, 409: refused },
        },
      },
      async ({ actor, params }) => {
        return json(await (await service()).pause(params.versionId, actor));
      },
    ),
  };
}
