import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../db/testing/test-database';
import { listAudit } from '../db/audit-repository';
import { accounts } from './accounts';
import { apiTokens } from './api-tokens';
import { createAuth } from './auth';
import { createAuthenticator } from './request-actor';
import { secretOfUri, totpCode } from './testing/totp';

const db = useTestDatabase();
// Each test starts before the first start: no account yet.
beforeEach(async () => {
  await db().pool.query('delete from "auth_users"; delete from "auth_rate_limits"');
});
const BASE = 'http://localhost:3000';
const setup = () => {
  const auth = createAuth({ pool: db().pool, secret: 'test-secret-test-secret-test-secret-42', baseURL: BASE, secureCookies: false });
  return { auth, people: accounts({ auth, pool: db().pool }), authenticate: createAuthenticator({ auth, pool: db().pool }) };
};

let ip = 0;
/** A browser talking to better-auth: keeps its cookies, comes from one address. */
function browser(auth: ReturnType<typeof createAuth>) {
  const jar = new Map<string, string>();
  const address = `10.0.0.${++ip}`;
  const headers = () => {
    const h = new Headers({ 'content-type': 'application/json', origin: BASE, 'x-forwarded-for': address });
    if (jar.size) h.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    return h;
  };
  return {
    headers,
    async post(path: string, body: unknown): Promise<Response> {
      const res = await auth.handler(new Request(`${BASE}/api/auth${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) }));
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const [name, ...value] = pair!.split('=');
        if (/max-age=0/i.test(c)) jar.delete(name!);
        else jar.set(name!, value.join('='));
      }
      return res;
    },
    request: (path = '/api/flows') => new Request(`${BASE}${path}`, { headers: headers() }),
  };
}

const owner = { name: 'Olive Owner', email: 'Olive@Example.com', password: 'correct horse battery' };

describe('accounts and sign-in', () => {
  it('creates the owner once, signs in, requires TOTP before anything, then signs in with a code', async () => {
    const { auth, people, authenticate } = setup();
    expect(await people.needsOwner()).toBe(true);
    const created = await people.createOwner(owner);
    expect(created).toMatchObject({ email: 'olive@example.com', role: 'owner', twoFactorEnabled: false });
    await expect(people.createOwner({ ...owner, email: 'second@example.com' })).rejects.toMatchObject({ code: 'conflict' });

    const b = browser(auth);
    expect((await b.post('/sign-in/email', { email: owner.email, password: 'wrong password!!' })).status).toBe(401);
    expect(await authenticate(b.request())).toBeNull();
    expect((await b.post('/sign-in/email', { email: owner.email, password: owner.password })).status).toBe(200);
    const cookie = b.headers().get('cookie') ?? '';
    expect(cookie).toMatch(/optline\.session_token=/);
    expect(await authenticate(b.request())).toMatchObject({ role: 'owner', via: 'session', mustEnrolTwoFactor: true });

    const enabled = await b.post('/two-factor/enable', { password: owner.password });
    expect(enabled.status).toBe(200);
    const { totpURI, backupCodes } = (await enabled.json()) as { totpURI: string; backupCodes: string[] };
    expect(totpURI).toMatch(/^otpauth:\/\/totp\/Optline:/);
    expect(backupCodes.length).toBeGreaterThanOrEqual(8);
    const secret = secretOfUri(totpURI);
    expect((await b.post('/two-factor/verify-totp', { code: '000000' === totpCode(secret, new Date()) ? '111111' : '000000' })).status).toBe(401);
    expect((await b.post('/two-factor/verify-totp', { code: totpCode(secret, new Date()) })).status).toBe(200);
    const actor = await authenticate(b.request());
    expect(actor).toMatchObject({ role: 'owner', via: 'session' });
    expect(actor?.mustEnrolTwoFactor).toBeUndefined();

    // A new browser: the password alone opens no session; the code does.
    const c = browser(auth);
    const first = await c.post('/sign-in/email', { email: owner.email, password: owner.password });
    expect(await first.json()).toMatchObject({ twoFactorRedirect: true });
    expect(await authenticate(c.request())).toBeNull();
    expect((await c.post('/two-factor/verify-totp', { code: totpCode(secret, new Date()) })).status).toBe(200);
    expect(await authenticate(c.request())).toMatchObject({ role: 'owner' });
    // A backup code works once.
    const d = browser(auth);
    await d.post('/sign-in/email', { email: owner.email, password: owner.password });
    expect((await d.post('/two-factor/verify-backup-code', { code: backupCodes[0] })).status).toBe(200);
    const e = browser(auth);
    await e.post('/sign-in/email', { email: owner.email, password: owner.password });
    expect((await e.post('/two-factor/verify-backup-code', { code: backupCodes[0] })).status).toBe(401);
  });

  it('rate limits sign-in per address', async () => {
    const { auth, people } = setup();
    await people.createOwner(owner);
    const b = browser(auth);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await b.post('/sign-in/email', { email: owner.email, password: `guess number ${i}!` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not held back.
    expect((await browser(auth).post('/sign-in/email', { email: owner.email, password: owner.password })).status).toBe(200);
  });

  it('has no public sign-up; people are added by an owner or admin, with rules on roles', async () => {
    const { auth, people, authenticate } = setup();
    const o = await people.createOwner(owner);
    const b = browser(auth);
    expect((await b.post('/sign-up/email', { email: 'x@example.com', password: 'another long password', name: 'X' })).status).toBeGreaterThanOrEqual(400);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    const admin = await people.createUser(ownerActor, { name: 'Ada', email: 'ada@example.com', password: 'ada long password', role: 'admin' });
    const adminActor = { userId: admin.id, email: admin.email, name: admin.name, role: 'admin' as const, via: 'session' as const };
    await expect(people.createUser(adminActor, { name: 'A2', email: 'a2@example.com', password: 'a2 long password!', role: 'admin' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(people.createUser(adminActor, { name: 'O2', email: 'o2@example.com', password: 'o2 long password!', role: 'owner' })).rejects.toMatchObject({ code: 'forbidden' });
    const ed = await people.createUser(adminActor, { name: 'Ed', email: 'ed@example.com', password: 'ed long password!', role: 'editor' });
    await expect(people.createUser(adminActor, { name: 'Ed', email: 'ED@example.com', password: 'ed long password!', role: 'editor' })).rejects.toMatchObject({ code: 'conflict' });

    // An editor needs no second factor.
    const eb = browser(auth);
    expect((await eb.post('/sign-in/email', { email: 'ed@example.com', password: 'ed long password!' })).status).toBe(200);
    expect(await authenticate(eb.request())).toEqual({ userId: ed.id, email: 'ed@example.com', name: 'Ed', role: 'editor', via: 'session' });

    // A role change ends the sessions; disabling blocks sign-in.
    await people.setRole(adminActor, ed.id, 'developer');
    expect(await authenticate(eb.request())).toBeNull();
    await people.setDisabled(adminActor, ed.id, true);
    expect((await eb.post('/sign-in/email', { email: 'ed@example.com', password: 'ed long password!' })).status).toBe(403);
    await expect(people.setDisabled(adminActor, o.id, true)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(people.setRole(adminActor, adminActor.userId, 'editor')).rejects.toMatchObject({ code: 'forbidden' });
    const actions = (await listAudit(db().pool)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.role_changed', 'user.disabled']));
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, act within their scopes and stop working when revoked', async () => {
    const { people, authenticate } = setup();
    const o = await people.createOwner(owner);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    const dev = await people.createUser(ownerActor, { name: 'Dev', email: 'dev@example.com', password: 'dev long password', role: 'developer' });
    const devActor = { userId: dev.id, email: dev.email, name: dev.name, role: 'developer' as const, via: 'session' as const };
    const tokens = apiTokens(db().pool);
    const { token, secret } = await tokens.create(devActor, { name: 'CI', scopes: ['read', 'flows.transfer'] });
    expect(secret).toMatch(/^optl_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db().pool.query('select * from api_tokens');
    expect(JSON.stringify(rows)).not.toContain(secret);

    const bearer = (s: string) => new Request(`${BASE}/api/flows`, { headers: { authorization: `Bearer ${s}` } });
    const actor = await authenticate(bearer(secret));
    expect(actor).toMatchObject({ userId: dev.id, role: 'developer', via: 'token', token: { id: token.id, scopes: ['read', 'flows.transfer'] } });
    expect(await authenticate(bearer(`${secret}x`))).toBeNull();
    expect(await authenticate(bearer('not-a-token'))).toBeNull();
    expect((await listAudit(db().pool, { action: 'token.used' }))[0]).toMatchObject({ subjectId: token.id, details: { method: 'GET', path: '/api/flows' } });

    await expect(tokens.create(devActor, { name: 'too much', scopes: ['read', 'runs.write', 'contacts.write'] })).resolves.toBeTruthy();
    const reviewer = await people.createUser(ownerActor, { name: 'Rae', email: 'rae@example.com', password: 'rae long password', role: 'reviewer' });
    await expect(tokens.create({ userId: reviewer.id, email: reviewer.email, name: 'Rae', role: 'reviewer', via: 'session' }, { name: 'x', scopes: ['runs.write'] })).rejects.toMatchObject({ code: 'forbidden' });

    await tokens.revoke(devActor, token.id);
    expect(await authenticate(bearer(secret))).toBeNull();
    await expect(tokens.revoke({ ...devActor, userId: o.id }, token.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
