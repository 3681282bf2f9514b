import type pg from 'pg';
import { requirePermission, type Authenticate } from '../../../lib/auth/roles';
import { database } from '../../../lib/db/database';
import { json, readBody, route } from '../../../lib/http/route';
import { reviewBody, versionService } from './version-service';

/** The route context of /api/flows/[id]/versions. */
export type FlowIdContext = { params: Promise<{ id: string }> };
/** The route context of /api/versions/[versionId]/…. */
export type VersionIdContext = { params: Promise<{ versionId: string }> };

/** The versions, review and activation API over a pool (tests pass their own database and actors). */
export function versionHandlers(deps: { authenticate: Authenticate; pool?: () => Promise<pg.Pool> }) {
  const service = async () => versionService(deps.pool ? await deps.pool() : (await database()).pool);
  return {
    /** GET /api/flows/:id/versions: the flow's versions, newest first. */
    list: route(async (request: Request, ctx: FlowIdContext) => {
      requirePermission(await deps.authenticate(request), 'read');
      return json(await (await service()).list((await ctx.params).id));
    }),

    /** POST /api/flows/:id/versions: freezes the draft as a version submitted for review. */
    submit: route(async (request: Request, ctx: FlowIdContext) => {
      const actor = requirePermission(await deps.authenticate(request), 'flows.edit');
      const result = await (await service()).submit((await ctx.params).id, actor);
      return json(result, { status: result.outcome === 'created' ? 201 : 200 });
    }),

    /** GET /api/versions/:versionId: the review page's data (report, diff, machine, reviews, canDecide). */
    get: route(async (request: Request, ctx: VersionIdContext) => {
      const actor = requirePermission(await deps.authenticate(request), 'read');
      return json(await (await service()).detail((await ctx.params).versionId, actor));
    }),

    /** POST /api/versions/:versionId/review `{ decision, comment?, acknowledgedWarnings }`. */
    review: route(async (request: Request, ctx: VersionIdContext) => {
      const actor = requirePermission(await deps.authenticate(request), 'reviews.decide');
      const body = await readBody(request, reviewBody);
      return json(await (await service()).decide((await ctx.params).versionId, actor, body), { status: 201 });
    }),

    /** POST /api/versions/:versionId/activate: makes an approved version live, pausing the one before. */
    activate: route(async (request: Request, ctx: VersionIdContext) => {
      const actor = requirePermission(await deps.authenticate(request), 'flows.activate');
      return json(await (await service()).activate((await ctx.params).versionId, actor));
    }),

    /** POST /api/versions/:versionId/pause: stops new runs of the active version. */
    pause: route(async (request: Request, ctx: VersionIdContext) => {
      const actor = requirePermission(await deps.authenticate(request), 'flows.activate');
      return json(await (await service()).pause((await ctx.params).versionId, actor));
    }),
  };
}
