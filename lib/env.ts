import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment (STYLE.md, "One place reads the
 * environment"). Every variable is parsed with zod at start-up; a bad value
 * stops the process with one line per problem, naming the variable.
 *
 * | variable | required | meaning |
 * | --- | --- | --- |
 * | `DATABASE_URL` | no | Postgres connection string; absent: the embedded server, data in `.data/postgres` |
 * | `APP_SECRET` | with `DATABASE_URL`, Twilio or Stripe in production | ≥ 32 characters; keys sessions, field encryption and the phone hash. Absent on the embedded database: a random secret kept in `.data/app-secret` (created on first start). Absent in tests or in development on another database: a fixed, public development secret — never for real data |
 * | `PUBLIC_URL` | with Twilio or Stripe | base URL of webhooks and payment links, and the origin sign-in accepts; default `http://localhost:<PORT>` |
 * | `TRUST_PROXY` | no | comma list of proxy addresses or CIDR ranges (`10.0.0.1, 192.168.0.0/16`) whose `X-Forwarded-For` names the client; absent: nobody's, sign-in limits key on the connection's own address |
 * | `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_MESSAGING_SERVICE_SID` | no | all three, or none (sandbox messaging) |
 * | `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` | no | both, or none (sandbox payments) |
 * | `PORT`, `HOST` | no | where the app server (`npm start`) listens: port 1–65535 (default 3000), interface (default all) |
 * | `OPTLINE_WORKER` | no | `off`: the app runs no worker (run `npm run worker` apart); default `on` |
 * | `WORKER_CONCURRENCY` | no | jobs a worker process runs at once, 1–4096 (default 256): jobs mostly wait for shared batches, so many at once make bigger batches, not more connections |
 * | `WORKER_LOCAL_QUEUE` | no | jobs a worker process fetches and locks at once, ≥ `WORKER_CONCURRENCY` (default twice it) |
 * | `SUPABASE_JWT_SECRET` | no | on a Supabase project: its JWT secret (≥ 32 characters), so the project's Data API trusts the JWTs of `POST /api/data-token`; absent: a key derived from `APP_SECRET`, trusted by the PostgREST `npm start` runs |
 * | `DATA_API` | no | `off`: `npm start` runs no PostgREST and `/rest/v1` answers 503; default `on` (where the platform has a binary) |
 * | `OPTLINE_SANDBOX_CLOCK` | no | `on`: the app process's clock is real time plus an offset an owner or admin sets through `/api/sandbox/clock` (rehearse quiet hours at 20:30 Eastern at any hour); only with the sandbox providers (refused with Twilio or Stripe configured) and the worker in the app (refused with `OPTLINE_WORKER=off`: a separate worker cannot share it); default `off` |
 * | `OUTBOUND_WEBHOOKS_ALLOW_PRIVATE` | no | `on`: outbound webhook endpoints may be plain http and may point at loopback, link-local and private addresses (a receiver on your own machine); development and tests only, refused in production; default `off` |
 */

/**
 * Development-only secret: public, so anything encrypted with it is readable
 * by anyone. Acceptable for local data and tests; production refuses it.
 */
export const DEV_APP_SECRET = 'optline-development-secret-not-for-production-use';

const DEFAULT_PORT = 3000;

const DEFAULT_WORKER_CONCURRENCY = 256;

// `FOO=` in a .env file means "unset", not "the empty string".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const schema = z
  .object({
    NODE_ENV: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
    ),
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\/\S+$/, { error: 'must be a postgres:// or postgresql:// connection string' }),
    ),
    APP_SECRET: optional(z.string().min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 48`)' })),
    PUBLIC_URL: optional(
      z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://optline.example.com' })
        .transform((u) => u.replace(/\/+$/, '')),
    ),
    TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, { error: 'must look like AC followed by 32 hex digits' })),
    TWILIO_AUTH_TOKEN: optional(z.string().min(16, { error: 'looks too short for a Twilio auth token' })),
    TWILIO_MESSAGING_SERVICE_SID: optional(
      z.string().regex(/^MG[0-9a-fA-F]{32}$/, { error: 'must look like MG followed by 32 hex digits' }),
    ),
    STRIPE_SECRET_KEY: optional(
      z.string().regex(/^(sk|rk)_(test|live)_\S+$/, { error: 'must start with sk_test_, sk_live_, rk_test_ or rk_live_' }),
    ),
    STRIPE_WEBHOOK_SECRET: optional(z.string().regex(/^whsec_\S+$/, { error: 'must start with whsec_' })),
    PORT: optional(
      z
        .string()
        .regex(/^\d+$/, { error: 'must be a port number from 1 to 65535' })
        .transform(Number)
        .refine((n) => n >= 1 && n <= 65_535, { error: 'must be a port number from 1 to 65535' }),
    ),
    HOST: optional(z.string()),
    TRUST_PROXY: optional(
      z
        .string()
        .transform((v) =>
          v
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean),
        )
        .superRefine((entries, ctx) => {
          for (const entry of entries) {
            if (!isAddressRange(entry))
              ctx.addIssue({
                code: 'custom',
                message: `"${entry}" is not an IP address or CIDR range like 10.0.0.0/8 (give a comma list)`,
              });
          }
        }),
    ),
    OPTLINE_WORKER: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
    WORKER_CONCURRENCY: optional(count('a number of jobs from 1 to 4096', 4096)),
    WORKER_LOCAL_QUEUE: optional(count('a number of jobs from 1 to 65536', 65_536)),
    SUPABASE_JWT_SECRET: optional(
      z.string().min(32, { error: "must be at least 32 characters (the project's JWT secret: Settings → API → JWT secret)" }),
    ),
    DATA_API: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
    OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
    OPTLINE_SANDBOX_CLOCK: optional(z.enum(['on', 'off'], { error: 'must be on or off' })),
  })
  .superRefine((v, ctx) => {
    if (v.NODE_ENV === 'production' && !v.APP_SECRET && (v.DATABASE_URL || v.TWILIO_ACCOUNT_SID || v.STRIPE_SECRET_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_SECRET'],
        message: 'is required in production with DATABASE_URL, Twilio or Stripe (at least 32 random characters)',
      });
    }
    if (v.WORKER_LOCAL_QUEUE !== undefined && v.WORKER_LOCAL_QUEUE < (v.WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY)) {
      // graphile-worker would run fewer jobs at once than asked for.
      ctx.addIssue({
        code: 'custom',
        path: ['WORKER_LOCAL_QUEUE'],
        message: `must be at least WORKER_CONCURRENCY (${v.WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY})`,
      });
    }
    if (v.NODE_ENV === 'production' && v.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE === 'on') {
      // SSRF: in production a webhook endpoint never reaches the machine's own network.
      ctx.addIssue({
        code: 'custom',
        path: ['OUTBOUND_WEBHOOKS_ALLOW_PRIVATE'],
        message: 'is a development setting: in production outbound webhooks never go to loopback or private addresses',
      });
    }
    if (v.OPTLINE_SANDBOX_CLOCK === 'on' && (v.TWILIO_ACCOUNT_SID || v.STRIPE_SECRET_KEY)) {
      // A virtual clock must never decide a real text's quiet hours or a real payment link's expiry.
      ctx.addIssue({
        code: 'custom',
        path: ['OPTLINE_SANDBOX_CLOCK'],
        message: `is for the sandbox only: refused while ${v.TWILIO_ACCOUNT_SID ? 'Twilio' : 'Stripe'} is configured (a virtual clock must never decide when a real text goes or a real payment link expires)`,
      });
    }
    if (v.OPTLINE_SANDBOX_CLOCK === 'on' && v.OPTLINE_WORKER === 'off') {
      // The offset lives in the app process (lib/runtime/sandbox-clock.ts): a worker apart would decide by real time.
      ctx.addIssue({
        code: 'custom',
        path: ['OPTLINE_SANDBOX_CLOCK'],
        message: 'needs the worker in the app process: with OPTLINE_WORKER=off a separate worker would not share the sandbox clock',
      });
    }
    requireAllOrNone(v, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_MESSAGING_SERVICE_SID'], ctx);
    requireAllOrNone(v, ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'], ctx);
    const providers = v.TWILIO_ACCOUNT_SID || v.STRIPE_SECRET_KEY;
    if (providers && !v.PUBLIC_URL) {
      // Webhook signatures are checked against the public URL the provider called.
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: 'is required when Twilio or Stripe is configured (webhook signatures are checked against it)',
      });
    }
  });

/** An IPv4/IPv6 address, or one with a `/prefix` within its family. */
function isAddressRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function count(what: string, max: number) {
  return z
    .string()
    .regex(/^\d+$/, { error: `must be ${what}` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, { error: `must be ${what}` });
}

function requireAllOrNone(v: Record<string, unknown>, names: string[], ctx: z.RefinementCtx): void {
  const set = names.filter((n) => v[n] !== undefined);
  if (set.length === 0 || set.length === names.length) return;
  for (const name of names.filter((n) => v[n] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set` });
  }
}

/** The validated configuration. */
export interface Env {
  nodeEnv: 'development' | 'test' | 'production';
  /** Absent: use the embedded Postgres server. */
  databaseUrl?: string;
  appSecret: string;
  /** True when `appSecret` is the public development default. */
  isDevSecret: boolean;
  /** Where `appSecret` came from. */
  secretSource: 'APP_SECRET' | 'local-file' | 'development';
  /** Without a trailing slash. */
  publicUrl: string;
  twilio?: { accountSid: string; authToken: string; messagingServiceSid: string };
  stripe?: { secretKey: string; webhookSecret: string };
  /** Where the app server listens: its port (default 3000) and interface (absent: every interface). */
  port: number;
  host?: string;
  /** Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client; empty: the connection's own address is the client. */
  trustedProxies: string[];
  /** The engine's worker: whether the app runs one in its process, jobs run at once, jobs fetched at once. */
  worker: { inProcess: boolean; concurrency: number; localQueueSize: number };
  /** The Data API: whether `npm start` runs PostgREST, and the Supabase project's JWT secret when set (else one derived from `appSecret`). */
  dataApi: { enabled: boolean; supabaseJwtSecret?: string };
  /** Outbound webhooks: https required (production), private and loopback targets allowed (development setting). */
  outboundWebhooks: { requireHttps: boolean; allowPrivate: boolean };
  /** Whether the app's clock is the sandbox clock (real time plus a settable offset): only with the sandbox providers and the worker in the app. */
  sandboxClock: boolean;
}

/** The environment could not be parsed; `problems` has one sentence per bad variable. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export interface ParseEnvOptions {
  /**
   * The installation's own secret for the embedded database (`.data/app-secret`),
   * read or created only when APP_SECRET is absent, the database is the embedded
   * one and this is not a test run.
   */
  localSecret?: () => string;
}

/** Parses an environment (process.env or a CLI's injected one) into `Env`; throws EnvError listing every problem. */
export function parseEnv(source: Record<string, string | undefined>, options: ParseEnvOptions = {}): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const v = result.data;
  const local = !v.APP_SECRET && !v.DATABASE_URL && v.NODE_ENV !== 'test' && options.localSecret;
  if (!v.APP_SECRET && !local && v.NODE_ENV === 'production') {
    throw new EnvError(['APP_SECRET is required in production (at least 32 random characters)']);
  }
  const appSecret = v.APP_SECRET ?? (local ? local() : DEV_APP_SECRET);
  return {
    nodeEnv: v.NODE_ENV,
    databaseUrl: v.DATABASE_URL,
    appSecret,
    isDevSecret: appSecret === DEV_APP_SECRET,
    secretSource: v.APP_SECRET ? 'APP_SECRET' : local ? 'local-file' : 'development',
    // The address the app server answers at, so sign-in's origin check accepts the page it served.
    publicUrl: v.PUBLIC_URL ?? `http://localhost:${v.PORT ?? DEFAULT_PORT}`,
    twilio:
      v.TWILIO_ACCOUNT_SID && v.TWILIO_AUTH_TOKEN && v.TWILIO_MESSAGING_SERVICE_SID
        ? { accountSid: v.TWILIO_ACCOUNT_SID, authToken: v.TWILIO_AUTH_TOKEN, messagingServiceSid: v.TWILIO_MESSAGING_SERVICE_SID }
        : undefined,
    stripe:
      v.STRIPE_SECRET_KEY && v.STRIPE_WEBHOOK_SECRET
        ? { secretKey: v.STRIPE_SECRET_KEY, webhookSecret: v.STRIPE_WEBHOOK_SECRET }
        : undefined,
    port: v.PORT ?? DEFAULT_PORT,
    ...(v.HOST ? { host: v.HOST } : {}),
    trustedProxies: v.TRUST_PROXY ?? [],
    worker: {
      inProcess: v.OPTLINE_WORKER !== 'off',
      concurrency: v.WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY,
      localQueueSize: v.WORKER_LOCAL_QUEUE ?? 2 * (v.WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY),
    },
    dataApi: { enabled: v.DATA_API !== 'off', ...(v.SUPABASE_JWT_SECRET ? { supabaseJwtSecret: v.SUPABASE_JWT_SECRET } : {}) },
    outboundWebhooks: { requireHttps: v.NODE_ENV === 'production', allowPrivate: v.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE === 'on' },
    sandboxClock: v.OPTLINE_SANDBOX_CLOCK === 'on',
  };
}

let cached: Env | undefined;

/** The process's environment, parsed once; on the embedded database without APP_SECRET, the installation's own secret file. */
export function env(): Env {
  cached ??= parseEnv(process.env, { localSecret: () => localSecret(path.resolve('.data', 'app-secret')) });
  return cached;
}

/**
 * Reads the installation's secret, creating it (384 random bits, readable by
 * the owner only) on first use. Two processes starting at once agree: the
 * file is created exclusively and the loser reads the winner's.
 */
export function localSecret(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new EnvError([`${file} holds a secret shorter than 32 characters: delete it to make a new one, or set APP_SECRET`]);
  return secret;
}
