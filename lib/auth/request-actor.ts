import type pg from 'pg';
import { apiTokenRepository } from '@/lib/db/api-token-repository';
import { recordAudit } from '@/lib/db/audit-repository';
import { database } from '@/lib/db/database';
import { deriveKey } from '@/lib/crypto/keys';
import { env } from '@/lib/env';
import { createAuth, type Auth } from './auth';
import { hashToken, TOKEN_PREFIX } from './api-tokens';
import { isRole, ROLES_REQUIRING_2FA, type Actor, type Authenticate } from '@/lib/access/roles';

/**
 * Who sent a request: an API token (`Authorization: Bearer optl_…`, acting
 * for its owner within its scopes, each use in the audit log) or the
 * signed-in user's session cookie. A disabled account, a revoked token or an
 * unknown role is nobody.
 */
export function createAuthenticator(deps: { auth: Auth; pool: pg.Pool }): Authenticate {
  return async (request) => {
    const header = request.headers.get('authorization');
    if (header !== null) {
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token?.startsWith(TOKEN_PREFIX)) return null;
      const holder = await apiTokenRepository(deps.pool).useByHash(hashToken(token));
      if (!holder || !isRole(holder.role)) return null;
      const url = new URL(request.url);
      await recordAudit(deps.pool, {
        actor: `${holder.userId} (token ${holder.tokenId})`,
        action: 'token.used',
        subjectType: 'api_token',
        subjectId: holder.tokenId,
        details: { method: request.method, path: url.pathname },
      });
      return {
        userId: holder.userId,
        email: holder.email,
        name: holder.name,
        role: holder.role,
        via: 'token',
        token: { id: holder.tokenId, scopes: holder.scopes },
      };
    }
    const session = await deps.auth.api.getSession({ headers: request.headers });
    if (!session) return null;
    const user = session.user as typeof session.user & { role?: unknown; disabled?: unknown; twoFactorEnabled?: unknown };
    if (user.disabled === true || !isRole(user.role)) return null;
    const actor: Actor = { userId: user.id, email: user.email, name: user.name, role: user.role, via: 'session' };
    if (ROLES_REQUIRING_2FA.includes(user.role) && user.twoFactorEnabled !== true) actor.mustEnrolTwoFactor = true;
    return actor;
  };
}

let processAuth: Promise<{ auth: Auth; pool: pg.Pool; authenticate: Authenticate }> | undefined;

/** The process's better-auth instance and authenticator, on `database()`. */
export function authServices(): Promise<{ auth: Auth; pool: pg.Pool; authenticate: Authenticate }> {
  processAuth ??= (async () => {
    const { pool } = await database();
    const e = env();
    const auth = createAuth({
      pool,
      secret: deriveKey(e.appSecret, 'auth-sessions-v1').toString('base64url'),
      baseURL: e.publicUrl,
      secureCookies: e.publicUrl.startsWith('https:'),
    });
    return { auth, pool, authenticate: createAuthenticator({ auth, pool }) };
  })();
  processAuth.catch(() => {
    processAuth = undefined;
  });
  return processAuth;
}

/** Who sent a request, in this process (see `createAuthenticator`). */
export const authenticate: Authenticate = async (request) => (await authServices()).authenticate(request);
