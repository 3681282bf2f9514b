import { z } from 'zod';
import { PERMISSIONS, ROLES, type Authenticate } from '@/lib/access/roles';
import { issueDataToken } from '@/lib/auth/data-token';
import { dataApiJwtSecret } from '@/lib/crypto/data-api-jwt';
import { env } from '@/lib/env';
import { endpoints, jsonResponse } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';

/** The answer of POST /api/data-token. */
export const dataTokenResponse = z.object({
  /** The JWT: send it as `Authorization: Bearer …` to /rest/v1 (supabase-js: the `accessToken` option). */
  token: z.string(),
  /** When it stops working (ISO 8601); ask for a new one before. */
  expiresAt: z.iso.datetime(),
  role: z.enum(ROLES),
  /** What the Data API lets it read follows from these. */
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type DataTokenResponse = z.infer<typeof dataTokenResponse>;

export interface DataTokenDeps {
  authenticate: Authenticate;
  /** The signing secret (default: SUPABASE_JWT_SECRET, else derived from APP_SECRET). */
  secret?: () => string;
  clock?: () => Date;
}

/** POST /api/data-token: a short-lived JWT for the Data API, for a signed-in person or an API token that may read. */
export function dataTokenHandlers(deps: DataTokenDeps) {
  const secret =
    deps.secret ?? (() => dataApiJwtSecret({ appSecret: env().appSecret, supabaseJwtSecret: env().dataApi.supabaseJwtSecret }));
  const clock = deps.clock ?? (() => new Date());
  const endpoint = endpoints(deps);
  return {
    issue: endpoint(
      {
        access: 'read',
        doc: {
          id: 'issueDataToken',
          summary: 'Get a JWT for the Data API',
          description:
            "A ten-minute JWT for `/rest/v1` (supabase-js: the `accessToken` option), carrying the caller's role and permissions; a revoked token or a disabled person gets none.",
          responses: { 200: jsonResponse('The JWT, when it expires, and what it may read.', dataTokenResponse) },
        },
      },
      async ({ actor }) => {
        const issued = issueDataToken(actor, { secret: secret(), now: clock() });
        const body: DataTokenResponse = {
          token: issued.token,
          expiresAt: issued.expiresAt.toISOString(),
          role: issued.role,
          permissions: issued.permissions,
        };
        return json(body);
      },
    ),
  };
}
