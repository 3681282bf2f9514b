import type { Actor, Authenticate, Role } from '@/lib/access/roles';

/** A signed-in actor of a role, for handler tests (the real sign-in is tested in lib/auth/auth.test.ts and the e2e suite). */
export function actorFor(role: Role, userId = `user-${role}`): Actor {
  return { userId, email: `${role}@example.test`, name: role[0]!.toUpperCase() + role.slice(1), role, via: 'session' };
}

/** An authenticator that finds this actor on every request (null: nobody). */
export function signedInAs(actor: Actor | Role | null): Authenticate {
  const a = typeof actor === 'string' ? actorFor(actor) : actor;
  return async () => a;
}
