import { readFile } from 'node:fs/promises';
import { request, type APIRequestContext } from '@playwright/test';
import { ROUTE_PERMISSIONS } from '@/lib/auth/route-permissions';
import { ROLE_PERMISSIONS, ROLES, type Permission, type Role, type TokenScope } from '@/lib/access/roles';
import { expect, test } from './helpers';
import { discoverRoutes } from './routes';
import { storageStateOf, TOKEN_FILE } from './people';

// Ids that exist nowhere: an allowed caller gets a 4xx about the id or the body, never a change.
const concrete = (route: string) =>
  route
    .replace('[id]', '00000000-0000-4000-8000-00000000abcd')
    .replace('[versionId]', '00000000-0000-4000-8000-00000000abcd')
    .replace('[deliveryId]', '00000000-0000-4000-8000-00000000abcd');

type Caller = { name: string; ctx: APIRequestContext; role: Role | null; scopes?: TokenScope[] };

// The project's default is the editor's signed-in state: these callers start with none.
const NO_SESSION = { cookies: [], origins: [] };

const TOKEN_SCOPES_GIVEN: TokenScope[] = ['read', 'flows.transfer'];

test('every API route checks the caller on the server: each role, an API token and nobody', async ({ baseURL }) => {
  test.setTimeout(180_000);
  const routes = discoverRoutes();
  expect(
    routes.filter((r) => !(r in ROUTE_PERMISSIONS)),
    'routes missing from lib/auth/route-permissions.ts',
  ).toEqual([]);
  expect(
    Object.keys(ROUTE_PERMISSIONS).filter((r) => !routes.includes(r)),
    'stale entries in lib/auth/route-permissions.ts',
  ).toEqual([]);

  const token = (await readFile(TOKEN_FILE, 'utf8')).trim();
  const callers: Caller[] = [
    { name: 'nobody', ctx: await request.newContext({ baseURL, storageState: NO_SESSION }), role: null },
    ...(await Promise.all(
      ROLES.map(async (role) => ({ name: role, role, ctx: await request.newContext({ baseURL, storageState: storageStateOf(role) }) })),
    )),
    {
      name: 'developer token',
      role: 'developer',
      scopes: TOKEN_SCOPES_GIVEN,
      ctx: await request.newContext({ baseURL, storageState: NO_SESSION, extraHTTPHeaders: { authorization: `Bearer ${token}` } }),
    },
  ];

  const failures: string[] = [];
  for (const route of routes) {
    const rule = ROUTE_PERMISSIONS[route]!;
    const [method, url] = route.split(' ') as [string, string];
    for (const caller of callers) {
      const res = await caller.ctx.fetch(concrete(url), {
        method,
        headers: { 'content-type': 'application/json', origin: baseURL! },
        data: method === 'GET' || method === 'DELETE' ? undefined : '{}',
        maxRedirects: 0,
      });
      const status = res.status();
      let expected: 'allowed' | 'refused' | 401 | 403;
      if (rule === 'public') expected = 'allowed';
      else if (rule === 'signature')
        expected = 'refused'; // no valid signature: a 4xx whoever calls, a session opens nothing
      else if (caller.role === null) expected = 401;
      else if (rule === 'signed-in') expected = 'allowed';
      else {
        const held =
          ROLE_PERMISSIONS[caller.role].includes(rule as Permission) &&
          (!caller.scopes || (caller.scopes as readonly string[]).includes(rule));
        expected = held ? 'allowed' : 403;
      }
      const ok =
        expected === 'allowed'
          ? status !== 401 && status !== 403 && status < 500
          : expected === 'refused'
            ? status >= 400 && status < 500
            : status === expected;
      if (!ok)
        failures.push(
          `${route} as ${caller.name}: ${status}, expected ${expected === 'allowed' ? 'neither 401 nor 403 nor 5xx' : expected === 'refused' ? 'a 4xx' : expected}`,
        );
    }
  }
  expect(failures).toEqual([]);
  for (const c of callers) await c.ctx.dispose();
});
