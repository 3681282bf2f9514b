import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { listAudit } from '@/lib/db/audit-repository';
import { accounts } from './accounts';
import { apiTokens } from './api-tokens';
import { createAuth } from './auth';
import { stampClientAddress, trustedProxyMatcher } from './client-address';
import { createAuthenticator } from './request-actor';
import { secretOfUri, totpCode } from './testing/totp';

const db = useTestDatabase();
// Each test starts before the first start: no account yet.
beforeEach(async () => {
  await db().pool.query('delete from "auth_users"; delete from "auth_rate_limits"; delete from "auth_sign_in_attempts"');
});
const BASE = 'http://localhost:3000';
const setup = (now?: () => Date) => {
  const auth = createAuth({ pool: db().pool, secret: 'test-secret-test-secret-test-secret-42', baseURL: BASE, secureCookies: false, now });
  return { auth, people: accounts({ auth, pool: db().pool }), authenticate: createAuthenticator({ auth, pool: db().pool }) };
};

let ip = 0;
const noProxy = trustedProxyMatcher([]);
/**
 * A browser talking to better-auth: keeps its cookies, connects from one
 * address, and may write any X-Forwarded-For it likes; its headers reach
 * better-auth as the app server (server.ts) passes them on.
 */
function browser(auth: ReturnType<typeof createAuth>, forwardedFor: () => string | undefined = () => undefined) {
  const jar = new Map<string, string>();
  const address = `10.0.0.${++ip}`;
  const headers = () => {
    const raw: Record<string, string> = { 'content-type': 'application/json', origin: BASE };
    const claimed = forwardedFor();
    if (claimed) raw['x-forwarded-for'] = claimed;
    stampClientAddress(raw, address, noProxy);
    const h = new Headers(raw);
    if (jar.size) h.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    return h;
  };
  return {
    headers,
    async post(path: string, body: unknown): Promise<Response> {
      const res = await auth.handler(
        new Request(`${BASE}/api/auth${path}`, { method: 'POST', headers: headers(), body: JSON.stringify(body) }),
      );
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
    expect(
      (await b.post('/two-factor/verify-totp', { code: '000000' === totpCode(secret, new Date()) ? '111111' : '000000' })).status,
    ).toBe(401);
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

  it('rate limits sign-in per connecting address, whatever X-Forwarded-For the client writes', async () => {
    const { auth, people } = setup();
    await people.createOwner(owner);
    let n = 0;
    const b = browser(auth, () => `198.51.100.${++n}`);
    const statuses: number[] = [];
    // Password spraying: a new email each time, so only the per-address limit applies.
    for (let i = 0; i < 12; i++)
      statuses.push((await b.post('/sign-in/email', { email: `guess${i}@example.com`, password: `guess number ${i}!` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another address is not held back.
    expect((await browser(auth).post('/sign-in/email', { email: owner.email, password: owner.password })).status).toBe(200);
  });

  it("does not let a stranger's bad attempts on one account lock another account out", async () => {
    const { auth, people } = setup();
    const o = await people.createOwner(owner);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    await people.createUser(ownerActor, { name: 'Ed', email: 'ed@example.com', password: 'ed long password!', role: 'editor' });
    const stranger = browser(auth);
    for (let i = 0; i < 10; i++)
      expect(
        (await stranger.post('/sign-in/email', { email: 'ed@example.com', password: `guess number ${i}!` })).status,
      ).toBeGreaterThanOrEqual(400);
    expect((await browser(auth).post('/sign-in/email', { email: owner.email, password: owner.password })).status).toBe(200);
  });

  it('limits failed attempts on one email from any address, briefly, without leaking the password or blocking the second factor', async () => {
    let clock = new Date('2026-12-06T10:00:00Z');
    const { auth, people } = setup(() => clock);
    await people.createOwner(owner);
    // The owner has two-factor sign-in and is past the password step when the attack starts.
    const b = browser(auth);
    await b.post('/sign-in/email', { email: owner.email, password: owner.password });
    const { totpURI } = (await (await b.post('/two-factor/enable', { password: owner.password })).json()) as { totpURI: string };
    const secret = secretOfUri(totpURI);
    expect((await b.post('/two-factor/verify-totp', { code: totpCode(secret, new Date()) })).status).toBe(200);
    const owning = browser(auth);
    expect(await (await owning.post('/sign-in/email', { email: owner.email, password: owner.password })).json()).toMatchObject({
      twoFactorRedirect: true,
    });

    const attempt = async (password: string) => {
      const res = await browser(auth).post('/sign-in/email', { email: 'OLIVE@example.com', password });
      return { status: res.status, body: (await res.json()) as { message?: string }, retry: res.headers.get('x-retry-after') };
    };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(`guess number ${i}!`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await attempt('guess number 5!');
    expect(locked).toMatchObject({
      status: 429,
      retry: '30',
      body: { message: 'Too many sign-in attempts for this email. Try again in 30 seconds.' },
    });
    // While locked, even the right password is refused the same way: the lock tells a guesser nothing.
    expect((await attempt(owner.password)).status).toBe(429);
    // Someone already past the password step finishes with their code.
    expect((await owning.post('/two-factor/verify-totp', { code: totpCode(secret, new Date()) })).status).toBe(200);

    clock = new Date(clock.getTime() + 29_000);
    expect((await attempt(owner.password)).status).toBe(429);
    clock = new Date(clock.getTime() + 1_000);
    // Then one try per 30 seconds: a wrong one locks again, a right one gets in and starts the count afresh.
    expect((await attempt('guess number 6!')).status).toBe(401);
    expect((await attempt(owner.password)).status).toBe(429);
    clock = new Date(clock.getTime() + 30_000);
    expect(await attempt(owner.password)).toMatchObject({ status: 200, body: { twoFactorRedirect: true } });
    expect((await attempt('guess number 7!')).status).toBe(401);
  });

  it('has no public sign-up; people are added by an owner or admin, with rules on roles', async () => {
    const { auth, people, authenticate } = setup();
    const o = await people.createOwner(owner);
    const b = browser(auth);
    expect(
      (await b.post('/sign-up/email', { email: 'x@example.com', password: 'another long password', name: 'X' })).status,
    ).toBeGreaterThanOrEqual(400);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    const admin = await people.createUser(ownerActor, {
      name: 'Ada',
      email: 'ada@example.com',
      password: 'ada long password',
      role: 'admin',
    });
    const adminActor = { userId: admin.id, email: admin.email, name: admin.name, role: 'admin' as const, via: 'session' as const };
    await expect(
      people.createUser(adminActor, { name: 'A2', email: 'a2@example.com', password: 'a2 long password!', role: 'admin' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      people.createUser(adminActor, { name: 'O2', email: 'o2@example.com', password: 'o2 long password!', role: 'owner' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const ed = await people.createUser(adminActor, { name: 'Ed', email: 'ed@example.com', password: 'ed long password!', role: 'editor' });
    await expect(
      people.createUser(adminActor, { name: 'Ed', email: 'ED@example.com', password: 'ed long password!', role: 'editor' }),
    ).rejects.toMatchObject({ code: 'conflict' });

    // An editor needs no second factor.
    const eb = browser(auth);
    expect((await eb.post('/sign-in/email', { email: 'ed@example.com', password: 'ed long password!' })).status).toBe(200);
    expect(await authenticate(eb.request())).toEqual({
      userId: ed.id,
      email: 'ed@example.com',
      name: 'Ed',
      role: 'editor',
      via: 'session',
    });

    // A role change ends the sessions; disabling blocks sign-in.
    await people.setRole(adminActor, ed.id, 'developer');
    expect(await authenticate(eb.request())).toBeNull();
    await people.setDisabled(adminActor, ed.id, true);
    // A disabled account answers exactly like a wrong password.
    const disabled = await eb.post('/sign-in/email', { email: 'ed@example.com', password: 'ed long password!' });
    const wrong = await eb.post('/sign-in/email', { email: 'ed@example.com', password: 'not the password!' });
    expect(disabled.status).toBe(401);
    expect(await disabled.json()).toEqual(await wrong.json());
    expect(await authenticate(eb.request())).toBeNull();
    await expect(people.setDisabled(adminActor, o.id, true)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(people.setRole(adminActor, adminActor.userId, 'editor')).rejects.toMatchObject({ code: 'forbidden' });
    const actions = (await listAudit(db().pool)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.role_changed', 'user.disabled']));
  });
});

describe('passwords and the first start', () => {
  it('refuses a common password, or one built on the person or the service, wherever an owner or admin sets one, naming the field', async () => {
    const { people } = setup();
    await expect(people.createOwner({ ...owner, password: 'password1234' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'password: this password is among the most common passwords (or made of them); choose a longer phrase of unrelated words',
      options: { path: 'password' },
    });
    await expect(people.createOwner({ ...owner, password: 'Olive Owner 2026!' })).rejects.toMatchObject({
      message: expect.stringMatching(/^password: this password contains “olive”/),
    });
    expect(await people.needsOwner()).toBe(true);
    const o = await people.createOwner(owner);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    await expect(
      people.createUser(ownerActor, { name: 'Ed', email: 'ed@example.com', password: 'optline-staff-2026', role: 'editor' }),
    ).rejects.toMatchObject({
      message: 'password: this password contains “optline” (the name of this service); choose words nobody links to you',
    });
    expect((await people.users.list()).map((u) => u.email)).toEqual(['olive@example.com']);
  });

  it('applies the same policy when a person changes their own password', async () => {
    const { auth, people } = setup();
    const o = await people.createOwner(owner);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    await people.createUser(ownerActor, {
      name: 'Eddie Editor',
      email: 'eddie@example.com',
      password: 'ed long password!',
      role: 'editor',
    });
    const b = browser(auth);
    expect((await b.post('/sign-in/email', { email: 'eddie@example.com', password: 'ed long password!' })).status).toBe(200);
    const refused = await b.post('/change-password', { currentPassword: 'ed long password!', newPassword: 'eddie-editor-2026' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ message: expect.stringMatching(/^newPassword: this password contains “eddie”/) });
    expect((await b.post('/change-password', { currentPassword: 'ed long password!', newPassword: 'iloveyou12345' })).status).toBe(400);
    expect(
      (await b.post('/change-password', { currentPassword: 'ed long password!', newPassword: 'violet canyon drift ember' })).status,
    ).toBe(200);
    expect((await browser(auth).post('/sign-in/email', { email: 'eddie@example.com', password: 'violet canyon drift ember' })).status).toBe(
      200,
    );
  });

  it('creates no owner from a page sign-in would refuse, and says which address to set as PUBLIC_URL', async () => {
    const { people } = setup();
    await expect(people.createOwner(owner, { origin: 'http://localhost:3301' })).rejects.toMatchObject({
      code: 'forbidden',
      message:
        'this page was opened at http://localhost:3301, but sign-in accepts only http://localhost:3000 or http://127.0.0.1:3000 (PUBLIC_URL): set PUBLIC_URL=http://localhost:3301, the address people open, and restart Optline',
    });
    expect(await people.needsOwner()).toBe(true);
    await expect(people.createOwner(owner, { origin: 'http://127.0.0.1:3000' })).resolves.toMatchObject({ role: 'owner' });
  });

  it('creates the owner whole or not at all', async () => {
    const { auth, people } = setup();
    // The last write of the set-up fails, as a full disk or a dropped connection would.
    await db().pool
      .query(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit log unavailable'; end $$;
      create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`);
    try {
      await expect(people.createOwner(owner)).rejects.toThrow('audit log unavailable');
    } finally {
      await db().pool.query('drop trigger refuse_audit on audit_log; drop function refuse_audit()');
    }
    expect(await people.needsOwner()).toBe(true);
    expect((await db().pool.query('select count(*)::int as n from "auth_accounts"')).rows[0]).toEqual({ n: 0 });
    // Set-up can simply be done again.
    await people.createOwner(owner);
    expect((await browser(auth).post('/sign-in/email', { email: owner.email, password: owner.password })).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, act within their scopes and stop working when revoked', async () => {
    const { people, authenticate } = setup();
    const o = await people.createOwner(owner);
    const ownerActor = { userId: o.id, email: o.email, name: o.name, role: 'owner' as const, via: 'session' as const };
    const dev = await people.createUser(ownerActor, {
      name: 'Dev',
      email: 'dev@example.com',
      password: 'dev long password',
      role: 'developer',
    });
    const devActor = { userId: dev.id, email: dev.email, name: dev.name, role: 'developer' as const, via: 'session' as const };
    const tokens = apiTokens(db().pool);
    const { token, secret } = await tokens.create(devActor, { name: 'CI', scopes: ['read', 'flows.transfer'] });
    expect(secret).toMatch(/^optl_[A-Za-z0-9_-]{43}$/);
    const { rows } = await db().pool.query('select * from api_tokens');
    expect(JSON.stringify(rows)).not.toContain(secret);

    const bearer = (s: string) => new Request(`${BASE}/api/flows`, { headers: { authorization: `Bearer ${s}` } });
    const actor = await authenticate(bearer(secret));
    expect(actor).toMatchObject({
      userId: dev.id,
      role: 'developer',
      via: 'token',
      token: { id: token.id, scopes: ['read', 'flows.transfer'] },
    });
    expect(await authenticate(bearer(`${secret}x`))).toBeNull();
    expect(await authenticate(bearer('not-a-token'))).toBeNull();
    expect((await listAudit(db().pool, { action: 'token.used' }))[0]).toMatchObject({
      subjectId: token.id,
      details: { method: 'GET', path: '/api/flows' },
    });

    await expect(tokens.create(devActor, { name: 'too much', scopes: ['read', 'runs.write', 'contacts.write'] })).resolves.toBeTruthy();
    const reviewer = await people.createUser(ownerActor, {
      name: 'Rae',
      email: 'rae@example.com',
      password: 'rae long password',
      role: 'reviewer',
    });
    await expect(
      tokens.create(
        { userId: reviewer.id, email: reviewer.email, name: 'Rae', role: 'reviewer', via: 'session' },
        { name: 'x', scopes: ['runs.write'] },
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });

    await tokens.revoke(devActor, token.id);
    expect(await authenticate(bearer(secret))).toBeNull();
    await expect(tokens.revoke({ ...devActor, userId: o.id }, token.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
