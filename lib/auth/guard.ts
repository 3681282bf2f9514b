import { route } from '../http/route';
import { requirePermission, type Actor, type Authenticate, type Permission } from './roles';

/**
 * Route handlers that check the caller first: `allow('runs.write', async (actor, request, ctx) => …)`
 * answers 401 for nobody and 403 for a caller without the permission before
 * the body is read, and hands the handler who is acting.
 */
export function guard(authenticate: Authenticate) {
  return <A extends [Request, ...unknown[]]>(permission: Permission, handler: (actor: Actor, ...args: A) => Promise<Response>) =>
    route(async (...args: A) => handler(requirePermission(await authenticate(args[0]), permission), ...args));
}
