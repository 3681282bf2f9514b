import type { PublicToken } from '@/lib/access/public-views';
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type pg from 'pg';
import { apiTokenRepository, type ApiToken } from '@/lib/db/api-token-repository';
import { recordAudit } from '@/lib/db/audit-repository';
import { withTransaction } from '@/lib/db/queryable';
import { AppError } from '@/lib/app-error';
import { actorRef, ROLE_PERMISSIONS, TOKEN_SCOPES, type Actor, type Permission } from '@/lib/access/roles';

/** Every token starts so; a leaked one is easy to find in logs and code scanners. */
export const TOKEN_PREFIX = 'optl_';

export const newTokenBody = z.strictObject({
  name: z
    .string({ error: 'name the token' })
    .trim()
    .min(1, { error: 'name the token' })
    .max(80, { error: 'the name is longer than 80 characters' }),
  scopes: z
    .array(z.enum(TOKEN_SCOPES, { error: `each scope is one of ${TOKEN_SCOPES.join(', ')}` }), { error: 'choose at least one scope' })
    .min(1, { error: 'choose at least one scope' })
    .transform((s) => [...new Set(s)]),
});

/** A token as the API and the console show it: never its hash, times as ISO strings. */
export function publicToken(t: ApiToken): PublicToken {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/** SHA-256 of a token (256 random bits: a slow hash adds nothing). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** API tokens: created for oneself, shown once, stored hashed, revocable. */
export function apiTokens(pool: pg.Pool) {
  return {
    list: (actor: Actor): Promise<ApiToken[]> => apiTokenRepository(pool).listForUser(actor.userId),

    /** A new token; the secret is in the answer and nowhere else. */
    async create(actor: Actor, input: z.infer<typeof newTokenBody>): Promise<{ token: ApiToken; secret: string }> {
      const beyondRole = input.scopes.filter((s) => !ROLE_PERMISSIONS[actor.role].includes(s as Permission));
      if (beyondRole.length > 0) {
        throw new AppError(
          'forbidden',
          `the ${actor.role} role does not have ${beyondRole.join(', ')}, so a token of yours cannot either`,
          { path: 'scopes' },
        );
      }
      const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
      return withTransaction(pool, async (tx) => {
        const token = await apiTokenRepository(tx).create({
          userId: actor.userId,
          name: input.name,
          scopes: input.scopes,
          tokenHash: hashToken(secret),
          prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        });
        await recordAudit(tx, {
          actor: actorRef(actor),
          action: 'token.created',
          subjectType: 'api_token',
          subjectId: token.id,
          details: { name: input.name, scopes: input.scopes },
        });
        return { token, secret };
      });
    },

    async revoke(actor: Actor, id: string): Promise<ApiToken> {
      if (!z.uuid().safeParse(id).success) throw new AppError('not_found', `you have no token "${id}"`, { path: 'id' });
      return withTransaction(pool, async (tx) => {
        const token = await apiTokenRepository(tx).revoke(id, actor.userId);
        if (!token) throw new AppError('not_found', `you have no token "${id}"`, { path: 'id' });
        await recordAudit(tx, { actor: actorRef(actor), action: 'token.revoked', subjectType: 'api_token', subjectId: id, details: {} });
        return token;
      });
    },
  };
}
