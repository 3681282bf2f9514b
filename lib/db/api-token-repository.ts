import type { Role, TokenScope } from '@/lib/access/roles';
import type { Queryable } from './queryable';

/** An API token as its owner sees it (never the secret). */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A live token with the user it acts for. */
export interface ApiTokenHolder {
  tokenId: string;
  scopes: TokenScope[];
  userId: string;
  email: string;
  name: string;
  role: Role;
}

interface Row {
  id: string;
  user_id: string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toToken = (r: Row): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  scopes: r.scopes,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function apiTokenRepository(db: Queryable) {
  return {
    async create(input: {
      userId: string;
      name: string;
      scopes: readonly TokenScope[];
      tokenHash: string;
      prefix: string;
    }): Promise<ApiToken> {
      const { rows } = await db.query<Row>(
        `insert into api_tokens (user_id, name, scopes, token_hash, prefix) values ($1, $2, $3, $4, $5) returning *`,
        [input.userId, input.name, input.scopes, input.tokenHash, input.prefix],
      );
      return toToken(rows[0]!);
    },

    async listForUser(userId: string): Promise<ApiToken[]> {
      const { rows } = await db.query<Row>('select * from api_tokens where user_id = $1 order by created_at desc', [userId]);
      return rows.map(toToken);
    },

    /** Revokes one of the user's tokens; null when the user has no such token. */
    async revoke(id: string, userId: string): Promise<ApiToken | null> {
      const { rows } = await db.query<Row>(
        `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1 and user_id = $2 returning *`,
        [id, userId],
      );
      return rows[0] ? toToken(rows[0]) : null;
    },

    /** The token with this hash, if it is live and its user is enabled; marks it used. */
    async useByHash(tokenHash: string): Promise<ApiTokenHolder | null> {
      const { rows } = await db.query<{ id: string; scopes: TokenScope[]; user_id: string; email: string; name: string; role: Role }>(
        `update api_tokens t set last_used_at = now()
           from "auth_users" u
          where t.token_hash = $1 and t.revoked_at is null and u."id" = t.user_id and not u."disabled"
          returning t.id, t.scopes, t.user_id, u."email" as email, u."name" as name, u."role" as role`,
        [tokenHash],
      );
      const r = rows[0];
      return r ? { tokenId: r.id, scopes: r.scopes, userId: r.user_id, email: r.email, name: r.name, role: r.role } : null;
    },
  };
}
