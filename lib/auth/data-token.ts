import { can, PERMISSIONS, type Actor, type Permission, type Role } from '@/lib/access/roles';
import { DATA_API_AUDIENCE, signHs256Jwt } from '@/lib/crypto/data-api-jwt';

/** How long a Data API JWT lives: minutes, so a revoked token or a disabled person loses the Data API within this. */
export const DATA_TOKEN_TTL_SECONDS = 10 * 60;

/** The Postgres role PostgREST switches to for every Data API JWT (the row level security policies read its claims). */
export const DATA_API_DB_ROLE = 'authenticated';

/** A Data API JWT and what it says. */
export interface DataToken {
  token: string;
  expiresAt: Date;
  role: Role;
  permissions: Permission[];
}

/**
 * A short-lived JWT for the Data API, for an actor the server has just found
 * (a live session or an unrevoked API token): `role` is the Postgres role,
 * `optline_role` the Optline one, `permissions` what the actor may do now
 * (its role's, narrowed to an API token's scopes; none while two-factor is
 * still to be set up). The database's policies read `permissions`.
 */
export function issueDataToken(actor: Actor, options: { secret: string; now: Date; ttlSeconds?: number }): DataToken {
  const iat = Math.floor(options.now.getTime() / 1000);
  const exp = iat + (options.ttlSeconds ?? DATA_TOKEN_TTL_SECONDS);
  const permissions = actor.mustEnrolTwoFactor ? [] : PERMISSIONS.filter((p) => can(actor, p));
  const claims = {
    aud: DATA_API_AUDIENCE,
    sub: actor.userId,
    role: DATA_API_DB_ROLE,
    optline_role: actor.role,
    permissions,
    ...(actor.token ? { token_id: actor.token.id } : {}),
    iat,
    exp,
  };
  return { token: signHs256Jwt(claims, options.secret), expiresAt: new Date(exp * 1000), role: actor.role, permissions };
}
