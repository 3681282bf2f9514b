import { beforeEach, describe, expect, it } from 'vitest';
import { apiRequest } from '@/lib/http/testing/api-request';
import { createAuth } from '@/lib/auth/auth';
import { createAuthenticator } from '@/lib/auth/request-actor';
import { signedInAs } from '@/lib/auth/testing/actors';
import type { Authenticate } from '@/lib/access/roles';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { accountHandlers } from './account-handlers';
import { csvCell } from '@/lib/contacts/csv-write';
import { settingsHandlers } from './settings-handlers';

const db = useTestDatabase();
beforeEach(async () => {
  await db().pool.query('delete from "auth_users"; delete from "auth_rate_limits"; delete from "auth_sign_in_attempts"');
  await db().pool.query("update settings set brand = 'Optline', paused_marketing_states = '{}'");
});

const auth = () =>
  createAuth({ pool: db().pool, secret: 'test-secret-test-secret-test-secret-42', baseURL: 'http://localhost:3000', secureCookies: false });
const handlersAs = (authenticate: Authenticate) => accountHandlers(async () => ({ auth: auth(), pool: db().pool, authenticate }));
const settingsAs = (authenticate: Authenticate) => settingsHandlers(async () => ({ pool: db().pool, authenticate }));
const send = (method: string, body?: unknown, url = 'http://localhost:3000/api/x') => apiRequest(url, { method, body });
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

describe('first start', () => {
  it('refuses the set-up from a page sign-in would refuse, creating nothing and naming PUBLIC_URL', async () => {
    const h = handlersAs(signedInAs(null));
    const from3301 = new Request('http://localhost:3301/api/setup', {
      method: 'POST',
      headers: { origin: 'http://localhost:3301' },
      body: JSON.stringify({ name: 'Olive', email: 'olive@example.com', password: 'a long enough password', businessName: 'Acme Dental' }),
    });
    const res = await h.setup(from3301);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('set PUBLIC_URL=http://localhost:3301');
    expect(await (await h.setupStatus(send('GET'))).json()).toEqual({ needsOwner: true });
  });

  it('creates the owner once, with clear errors for a bad form', async () => {
    const h = handlersAs(signedInAs(null));
    expect(await (await h.setupStatus(send('GET'))).json()).toEqual({ needsOwner: true });
    const bad = await h.setup(send('POST', { name: '', email: 'nope', password: 'short' }));
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['businessName', 'email', 'name', 'password']);
    expect(
      (
        await h.setup(
          send('POST', { name: 'Olive', email: 'olive@example.com', password: 'a long enough password', businessName: 'Acme Dental' }),
        )
      ).status,
    ).toBe(201);
    expect(await (await h.setupStatus(send('GET'))).json()).toEqual({ needsOwner: false });
    // The business's name is the brand the keyword answers name.
    expect((await db().pool.query('select brand from settings')).rows[0].brand).toBe('Acme Dental');
    expect(
      (
        await h.setup(
          send('POST', { name: 'Mallory', email: 'm@example.com', password: 'a long enough password', businessName: 'Acme Dental' }),
        )
      ).status,
    ).toBe(409);
  });
});

describe('people and tokens', () => {
  it('lets the owner add people; an editor cannot; a developer token works as Bearer and never makes tokens', async () => {
    await handlersAs(signedInAs(null)).setup(
      send('POST', { name: 'Olive', email: 'olive@example.com', password: 'a long enough password', businessName: 'Acme Dental' }),
    );
    const ownerId = (await db().pool.query('select "id" from "auth_users"')).rows[0].id as string;
    const owner = handlersAs(signedInAs({ userId: ownerId, email: 'olive@example.com', name: 'Olive', role: 'owner', via: 'session' }));
    expect(
      (
        await handlersAs(signedInAs('editor')).createUser(
          send('POST', { name: 'X', email: 'x@example.com', password: 'a long enough password', role: 'editor' }),
        )
      ).status,
    ).toBe(403);
    expect((await handlersAs(signedInAs(null)).listUsers(send('GET'))).status).toBe(401);
    const res = await owner.createUser(
      send('POST', { name: 'Dev', email: 'dev@example.com', password: 'a long enough password', role: 'developer' }),
    );
    expect(res.status).toBe(201);
    const dev = (await res.json()).user;
    expect(dev).toMatchObject({ role: 'developer', twoFactorEnabled: false, disabled: false });
    expect((await owner.updateUser(send('PATCH', { role: 'boss' }), ctx(dev.id))).status).toBe(400);

    const devActor = { userId: dev.id, email: dev.email, name: dev.name, role: 'developer' as const, via: 'session' as const };
    const created = await handlersAs(signedInAs(devActor)).createToken(send('POST', { name: 'CI', scopes: ['read', 'flows.transfer'] }));
    expect(created.status).toBe(201);
    const { secret, token } = await created.json();
    const real = createAuthenticator({ auth: auth(), pool: db().pool });
    const asToken = handlersAs(real);
    const bearer = (method: string, body?: unknown) =>
      new Request('http://localhost:3000/api/tokens', {
        method,
        headers: { authorization: `Bearer ${secret}` },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const me = await (await asToken.me(bearer('GET'))).json();
    expect(me.user).toMatchObject({ id: dev.id, role: 'developer', via: 'token' });
    // The token lacks tokens.manage in its scopes: it cannot list or make tokens.
    expect((await asToken.createToken(bearer('POST', { name: 'x', scopes: ['read'] }))).status).toBe(403);
    const list = await (await handlersAs(signedInAs(devActor)).listTokens(send('GET'))).json();
    expect(list.tokens).toEqual([expect.objectContaining({ id: token.id, name: 'CI', scopes: ['read', 'flows.transfer'] })]);
    expect(JSON.stringify(list)).not.toContain(secret);
    expect((await handlersAs(signedInAs(devActor)).revokeToken(send('DELETE'), ctx(token.id))).status).toBe(200);
    expect((await asToken.me(bearer('GET'))).status).toBe(401);
  });
});

describe('settings and audit log', () => {
  it('checks the texts, lets only the owner pause a state, and audits every change', async () => {
    const admin = settingsAs(signedInAs('admin'));
    const bad = await admin.updateSettings(
      send('PATCH', { helpText: 'Call us.', stopConfirmationText: 'Bye! See our deals at https://x.test', pausedMarketingStates: ['XX'] }),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'helpText',
      'pausedMarketingStates[0]',
      'stopConfirmationText',
    ]);
    expect((await admin.updateSettings(send('PATCH', { brand: 'Acme Dental Care' }))).status).toBe(200);
    const refused = await admin.updateSettings(send('PATCH', { pausedMarketingStates: ['la'] }));
    expect(refused.status).toBe(403);
    expect((await settingsAs(signedInAs('editor')).updateSettings(send('PATCH', { brand: 'X' }))).status).toBe(403);
    const ok = await settingsAs(signedInAs('owner')).updateSettings(send('PATCH', { pausedMarketingStates: ['la'] }));
    expect((await ok.json()).settings).toMatchObject({ brand: 'Acme Dental Care', pausedMarketingStates: ['LA'] });

    const log = await (
      await settingsAs(signedInAs('reviewer')).listAudit(send('GET', undefined, 'http://localhost:3000/api/audit?action=settings.'))
    ).json();
    // Newest first: the owner's pause, the admin's brand, then the business name given at first start.
    expect(log.entries.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['settings.states_paused', 'settings.changed']);
    expect(log.entries.at(-1)).toMatchObject({ action: 'settings.changed', details: { brand: { from: 'Optline', to: 'Acme Dental' } } });
    expect(log.entries[0]).toMatchObject({ actor: 'user-owner', details: { pausedMarketingStates: { from: [], to: ['LA'] } } });
    expect((await settingsAs(signedInAs('editor')).listAudit(send('GET'))).status).toBe(403);
    expect(
      (await settingsAs(signedInAs('owner')).listAudit(send('GET', undefined, 'http://localhost:3000/api/audit?from=yesterday'))).status,
    ).toBe(400);
    // A page number past any id, a year Postgres cannot store, a NUL: each named, none sent to the database (each was a 500).
    for (const [query, path] of [
      ['before=99999999999999999999', 'before'],
      ['to=275760-09-13', 'to'],
      ['actor=a%00b', 'actor'],
      ['limit=1e3', 'limit'],
    ] as const) {
      const res = await settingsAs(signedInAs('owner')).listAudit(send('GET', undefined, `http://localhost:3000/api/audit?${query}`));
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { path: string } }).error.path).toBe(path);
    }

    const csv = await settingsAs(signedInAs('owner')).exportAudit(
      send('GET', undefined, 'http://localhost:3000/api/audit/export?action=settings.'),
    );
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actor,action,subject_type,subject_id,details');
    expect(lines).toHaveLength(log.entries.length + 1);
    expect(lines[1]).toContain('settings.states_paused');
  });

  it('writes CSV cells a spreadsheet will not run', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('plain')).toBe('plain');
  });
});
