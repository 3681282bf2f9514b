import { APIError, BASE_ERROR_CODES, betterAuth } from 'better-auth';
import { trustedOrigins } from '@/lib/http/origin';
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { twoFactor } from 'better-auth/plugins';
import type pg from 'pg';
import { recordAudit } from '@/lib/db/audit-repository';
import { signInAttemptRepository } from '@/lib/db/sign-in-attempt-repository';
import { userRepository } from '@/lib/db/user-repository';
import { CLIENT_ADDRESS_HEADER } from './client-address';
import { passwordProblem } from './password-policy';
import { ACCOUNT_LIMIT, admitAttempt } from '@/lib/access/sign-in-throttle';

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
  /** The clock the per-account sign-in limit reads (better-auth's own per-address limit reads the system clock). */
  now?: () => Date;
}

const SIGN_IN_PATH = '/sign-in/email';
/** better-auth's endpoints that set a password (a person's own change; a reset, were one ever sent). */
const PASSWORD_SETTING_PATHS = ['/change-password', '/reset-password'];

/**
 * better-auth for Optline: email + password (no public sign-up: the owner is
 * created on first start, everyone else by an owner or admin), TOTP two-factor
 * with backup codes, sessions in httpOnly SameSite=Lax cookies, sign-in and
 * code checks rate limited in the database (every app process shares the
 * counts) per client address — the app server's own header, never one the
 * client wrote (lib/auth/client-address.ts) — and password attempts also per
 * email (lib/access/sign-in-throttle.ts). Its tables are prefixed `auth_`
 * (migration `*_auth.sql`). A disabled account cannot open a session, and
 * is answered exactly like a wrong password.
 */
export function createAuth(input: AuthInput) {
  const now = input.now ?? (() => new Date());
  const attempts = signInAttemptRepository(input.pool);
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
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (PASSWORD_SETTING_PATHS.includes(ctx.path)) {
          // The same policy as accounts made by an owner or admin (lib/auth/accounts.ts).
          const newPassword = (ctx.body as { newPassword?: unknown } | undefined)?.newPassword;
          if (typeof newPassword !== 'string') return;
          const user = (await getSessionFromCtx(ctx))?.user;
          const problem = passwordProblem(newPassword, { email: user?.email, name: user?.name });
          if (problem) return new APIError('BAD_REQUEST', { code: 'PASSWORD_REFUSED', message: `newPassword: ${problem}` });
          return;
        }
        const email = ctx.path === SIGN_IN_PATH ? emailOf(ctx.body) : null;
        if (!email) return;
        const at = now();
        const decision = await attempts.decide(email, (record) => admitAttempt(record, at));
        if (!decision.admitted) {
          const wait = decision.retryAfterSeconds;
          // Returned, not thrown: a limited guesser is routine, not an error for the server log.
          return new APIError(
            'TOO_MANY_REQUESTS',
            {
              code: 'ACCOUNT_THROTTLED',
              message: `Too many sign-in attempts for this email. Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
            },
            { 'X-Retry-After': String(wait) },
          );
        }
        await attempts.prune(new Date(at.getTime() - ACCOUNT_LIMIT.windowSeconds * 1000));
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = ctx.path === SIGN_IN_PATH ? emailOf(ctx.body) : null;
        // The password was right (a second factor may still be asked): the account's count starts again.
        if (email && ctx.context.returned !== undefined && !isAPIError(ctx.context.returned)) await attempts.clear(email);
      }),
    },
    telemetry: { enabled: false },
    // A wrong password is routine (and rate limited), not a warning for the server log.
    logger: { level: 'error' },
    databaseHooks: {
      session: {
        create: {
          async before(session) {
            // Only after the password was checked, so a disabled account costs the same work and says the same as a wrong password: a guesser learns nothing.
            if (await userRepository(input.pool).isDisabled(session.userId))
              throw APIError.from('UNAUTHORIZED', BASE_ERROR_CODES.INVALID_EMAIL_OR_PASSWORD);
          },
          async after(session) {
            await recordAudit(input.pool, {
              actor: session.userId,
              action: 'user.signed_in',
              subjectType: 'user',
              subjectId: session.userId,
              details: { ip: session.ipAddress ?? null, userAgent: session.userAgent ?? null },
            });
          },
        },
      },
    },
    plugins: [twoFactor({ issuer: 'Optline', schema: { twoFactor: { modelName: 'auth_two_factors' } } })],
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The email a sign-in request names, as better-auth looks it up (lower case); null when there is none. */
function emailOf(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim().toLowerCase() : null;
}
