import { APIError, betterAuth } from 'better-auth';
import { twoFactor } from 'better-auth/plugins';
import type pg from 'pg';
import { recordAudit } from '../db/audit-repository';

/** How long a console session lasts; its expiry slides forward once a day of use. */
const SESSION_DAYS = 7;

export interface AuthInput {
  pool: pg.Pool;
  /** At least 32 characters; derived from APP_SECRET. */
  secret: string;
  /** PUBLIC_URL: the origin trusted for sign-in requests. */
  baseURL: string;
  /** Secure cookies (HTTPS). */
  secureCookies: boolean;
}

/**
 * better-auth for Optline: email + password (no public sign-up: the owner is
 * created on first start, everyone else by an owner or admin), TOTP two-factor
 * with backup codes, sessions in httpOnly SameSite=Lax cookies, sign-in and
 * code checks rate limited in the database (every app process shares the
 * counts). Its tables are prefixed `auth_` (migration `*_auth.sql`). A
 * disabled account cannot open a session.
 */
export function createAuth(input: AuthInput) {
  return betterAuth({
    appName: 'Optline',
    database: input.pool,
    secret: input.secret,
    baseURL: input.baseURL,
    basePath: '/api/auth',
    trustedOrigins: trustedOrigins(input.baseURL),
    emailAndPassword: { enabled: true, minPasswordLength: 12, maxPasswordLength: 128, disableSignUp: true, autoSignIn: false },
    user: {
      modelName: 'auth_users',
      additionalFields: {
        role: { type: 'string', required: true, defaultValue: 'editor', input: false },
        disabled: { type: 'boolean', required: true, defaultValue: false, input: false },
      },
    },
    session: { modelName: 'auth_sessions', expiresIn: SESSION_DAYS * 24 * 3600, updateAge: 24 * 3600 },
    account: { modelName: 'auth_accounts' },
    verification: { modelName: 'auth_verifications' },
    rateLimit: {
      enabled: true,
      storage: 'database',
      modelName: 'auth_rate_limits',
      window: 60,
      max: 100,
      customRules: {
        '/sign-in/email': { window: 60, max: 10 },
        '/two-factor/verify-totp': { window: 60, max: 10 },
        '/two-factor/verify-backup-code': { window: 60, max: 10 },
      },
    },
    advanced: {
      useSecureCookies: input.secureCookies,
      cookiePrefix: 'optline',
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure: input.secureCookies },
      ipAddress: { ipAddressHeaders: ['x-forwarded-for', 'x-real-ip'] },
    },
    telemetry: { enabled: false },
    // A wrong password is routine (and rate limited), not a warning for the server log.
    logger: { level: 'error' },
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            const { rows } = await input.pool.query<{ disabled: boolean }>('select "disabled" from "auth_users" where "id" = $1', [session.userId]);
            if (rows[0]?.disabled) throw new APIError('FORBIDDEN', { message: 'This account is disabled. Ask an owner or admin.' });
          },
          async after(session) {
            await recordAudit(input.pool, { actor: session.userId, action: 'user.signed_in', subjectType: 'user', subjectId: session.userId, details: { ip: session.ipAddress ?? null, userAgent: session.userAgent ?? null } });
          },
        },
      },
    },
    plugins: [twoFactor({ issuer: 'Optline', schema: { twoFactor: { modelName: 'auth_two_factors' } } })],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** PUBLIC_URL's origin; on this machine also its localhost / 127.0.0.1 twin, which a browser may use for the same server. */
export function trustedOrigins(baseURL: string): string[] {
  const url = new URL(baseURL);
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (!twin) return [url.origin];
  const other = new URL(url.origin);
  other.hostname = twin;
  return [url.origin, other.origin];
}
