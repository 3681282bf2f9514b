import { createClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Authenticate } from '@/lib/access/roles';
import { apiTokens } from '@/lib/auth/api-tokens';
import { actorFor, signedInAs } from '@/lib/auth/testing/actors';
import { testAuthenticator } from '@/lib/auth/testing/authenticator';
import { DATA_API_AUDIENCE } from '@/lib/crypto/data-api-jwt';
import { useDataApi } from '@/lib/db/testing/data-api';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { apiRequest } from '@/lib/http/testing/api-request';
import { dataTokenHandlers, dataTokenResponse } from './data-token-handlers';

const db = useTestDatabase();
const api = useDataApi(db);

// PostgREST checks `exp` against its own clock, so the JWTs that must work are issued for the real present.
const clock = () => new Date();
const handlersAs = (authenticate: Authenticate) => dataTokenHandlers({ authenticate, secret: () => api().jwtSecret, clock }).issue;
const post = (headers: Record<string, string> = {}) => apiRequest('http://localhost:3000/api/data-token', { method: 'POST', headers });
const realAuthenticator = () => testAuthenticator(db().pool);
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const readFlows = (jwt: string) =>
  createClient(api().url, 'optline', { accessToken: async () => jwt, db: { schema: 'optline_api' } })
    .from('flows')
    .select('id, name');

beforeAll(async () => {
  await db().pool.query(
    `insert into "auth_users" ("id", "name", "email", "emailVerified", "role") values ('user-dev', 'Dev', 'dev@clinic.test', true, 'developer')`,
  );
  await db().pool.query(`insert into flows (id, name, draft, draft_saved_by) values ('reminders', 'Reminders', '{}', 'user-dev')`);
});

describe('POST /api/data-token', () => {
  it('gives a signed-in person a JWT of minutes, with their role and permissions, that the Data API accepts', async () => {
    const at = new Date();
    const res = await dataTokenHandlers({ authenticate: signedInAs('reviewer'), secret: () => api().jwtSecret, clock: () => at }).issue(
      post(),
    );
    expect(res.status).toBe(200);
    const body = dataTokenResponse.parse(await res.json());
    expect(body.role).toBe('reviewer');
    expect(body.permissions).toEqual(['read', 'reviews.decide', 'flows.activate', 'audit.export']);
    const claims = claimsOf(body.token);
    expect(claims).toMatchObject({ aud: DATA_API_AUDIENCE, role: 'authenticated', optline_role: 'reviewer', sub: 'user-reviewer' });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(600);
    expect(body.expiresAt).toBe(new Date(Math.floor(at.getTime() / 1000) * 1000 + 600_000).toISOString());
    const { data, error } = await readFlows(body.token);
    expect(error).toBeNull();
    expect(data).toEqual([{ id: 'reminders', name: 'Reminders' }]);
  });

  it('refuses nobody (401), a role still to set up two-factor and a token without read (403)', async () => {
    expect((await handlersAs(signedInAs(null))(post())).status).toBe(401);
    expect((await handlersAs(signedInAs({ ...actorFor('owner'), mustEnrolTwoFactor: true }))(post())).status).toBe(403);
    const writer = { ...actorFor('developer'), via: 'token' as const, token: { id: 't', scopes: ['runs.write' as const] } };
    const refused = await handlersAs(signedInAs(writer))(post());
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });

  it('gives an API token a JWT narrowed to its scopes; once revoked, no new one', async () => {
    const tokens = apiTokens(db().pool);
    const dev = { ...actorFor('developer', 'user-dev'), email: 'dev@clinic.test' };
    const { token, secret } = await tokens.create(dev, { name: 'Reports', scopes: ['read', 'flows.transfer'] });
    const issue = handlersAs(realAuthenticator());
    const res = await issue(post({ authorization: `Bearer ${secret}` }));
    expect(res.status).toBe(200);
    const body = dataTokenResponse.parse(await res.json());
    expect(body.permissions).toEqual(['read', 'flows.transfer']);
    expect(claimsOf(body.token)).toMatchObject({ sub: 'user-dev', token_id: token.id });
    expect((await readFlows(body.token)).data).toHaveLength(1);

    await tokens.revoke(dev, token.id);
    expect((await issue(post({ authorization: `Bearer ${secret}` }))).status).toBe(401);
  });

  it('gives a disabled person’s token no new JWT', async () => {
    const dev = { ...actorFor('developer', 'user-dev'), email: 'dev@clinic.test' };
    const { secret } = await apiTokens(db().pool).create(dev, { name: 'Nightly', scopes: ['read'] });
    const issue = handlersAs(realAuthenticator());
    expect((await issue(post({ authorization: `Bearer ${secret}` }))).status).toBe(200);
    await db().pool.query(`update "auth_users" set "disabled" = true where "id" = 'user-dev'`);
    expect((await issue(post({ authorization: `Bearer ${secret}` }))).status).toBe(401);
  });
});
