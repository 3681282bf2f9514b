import type pg from 'pg';
import type { Authenticate } from '@/lib/access/roles';
import { database } from '@/lib/db/database';
import { endpoints, idParams, jsonBody, versionIdParams } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { reviewBody, versionService } from '@/lib/flows';

/** The versions, review and activation API over a pool (tests pass their own database and actors). */
export function versionHandlers(deps: { authenticate: Authenticate; pool?: () => Promise<pg.Pool> }) {
  const service = async () => versionService(deps.pool ? await deps.pool() : (await database()).pool);
  const endpoint = endpoints(deps);
  return {
    /** GET /api/flows/:id/versions: the flow's versions, newest first. */
    list: endpoint({ access: 'read', params: idParams }, async ({ params }) => {
      return json(await (await service()).list(params.id));
    }),

    /** POST /api/flows/:id/versions: freezes the draft as a version submitted for review. */
    submit: endpoint({ access: 'flows.edit', params: idParams }, async ({ actor, params }) => {
      const result = await (await service()).submit(params.id, actor);
      return json(result, { status: result.outcome === 'created' ? 201 : 200 });
    }),

    /** GET /api/versions/:versionId: the review page's data (report, diff, machine, reviews, canDecide). */
    get: endpoint({ access: 'read', params: versionIdParams }, async ({ actor, params }) => {
      return json(await (await service()).detail(params.versionId, actor));
    }),

    /** POST /api/versions/:versionId/review `{ decision, comment?, acknowledgedWarnings }`. */
    review: endpoint({ access: 'reviews.decide', params: versionIdParams, body: jsonBody(reviewBody) }, async ({ actor, params, body }) => {
      return json(await (await service()).decide(params.versionId, actor, body), { status: 201 });
    }),

    /** POST /api/versions/:versionId/activate: makes an approved version live, pausing the one before. */
    activate: endpoint({ access: 'flows.activate', params: versionIdParams }, async ({ actor, params }) => {
      return json(await (await service()).activate(params.versionId, actor));
    }),

    /** POST /api/versions/:versionId/pause: stops new runs of the active version. */
    pause: endpoint({ access: 'flows.activate', params: versionIdParams }, async ({ actor, params }) => {
      return json(await (await service()).pause(params.versionId, actor));
    }),
  };
}
