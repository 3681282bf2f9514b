import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEV_APP_SECRET, EnvError, localSecret, parseEnv } from './env';

const SECRET = 'x'.repeat(32);

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  return [];
}

describe('parseEnv', () => {
  it('runs in development with nothing set: embedded database, development secret, sandbox providers', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ nodeEnv: 'development', databaseUrl: undefined, appSecret: DEV_APP_SECRET, isDevSecret: true });
    expect(env.publicUrl).toBe('http://localhost:3000');
    expect(env.twilio).toBeUndefined();
    expect(env.stripe).toBeUndefined();
  });

  it('defaults PUBLIC_URL to the port the app server listens on, so sign-in accepts the page it served', () => {
    expect(parseEnv({ PORT: '3301' }).publicUrl).toBe('http://localhost:3301');
    expect(parseEnv({ PORT: '3301', PUBLIC_URL: 'https://optline.example.com' }).publicUrl).toBe('https://optline.example.com');
  });

  it('reads TRUST_PROXY as a comma list of addresses and CIDR ranges, naming a bad entry', () => {
    expect(parseEnv({}).trustedProxies).toEqual([]);
    expect(parseEnv({ TRUST_PROXY: ' 10.0.0.1, 192.168.0.0/16,::1 ' }).trustedProxies).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    expect(problems({ TRUST_PROXY: '10.0.0.1, loadbalancer' })).toEqual([
      'TRUST_PROXY "loadbalancer" is not an IP address or CIDR range like 10.0.0.0/8 (give a comma list)',
    ]);
    expect(problems({ TRUST_PROXY: '10.0.0.0/33' })).toHaveLength(1);
  });

  it('requires APP_SECRET in production', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual(['APP_SECRET is required in production (at least 32 random characters)']);
    expect(problems({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' })).toEqual([
      'APP_SECRET is required in production with DATABASE_URL, Twilio or Stripe (at least 32 random characters)',
    ]);
    expect(parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET })).toMatchObject({ isDevSecret: false, secretSource: 'APP_SECRET' });
  });

  it('uses the installation secret on the embedded database, so `npm start` needs no set-up', () => {
    const local = () => 'l'.repeat(64);
    expect(parseEnv({ NODE_ENV: 'production' }, { localSecret: local })).toMatchObject({
      appSecret: local(),
      isDevSecret: false,
      secretSource: 'local-file',
    });
    expect(parseEnv({}, { localSecret: local })).toMatchObject({ appSecret: local(), secretSource: 'local-file' });
    // Another database, or a test run: never the local file.
    expect(parseEnv({ DATABASE_URL: 'postgres://db/x' }, { localSecret: local })).toMatchObject({
      appSecret: DEV_APP_SECRET,
      secretSource: 'development',
    });
    expect(parseEnv({ NODE_ENV: 'test' }, { localSecret: local }).secretSource).toBe('development');
    expect(problems({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x' })).toHaveLength(1);
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', APP_SECRET: ' ' }).databaseUrl).toBeUndefined();
  });

  it('names each bad variable with a sentence', () => {
    const found = problems({ DATABASE_URL: 'mysql://x', APP_SECRET: 'short', PUBLIC_URL: 'ftp://x' });
    expect(found).toHaveLength(3);
    expect(found[0]).toBe('DATABASE_URL must be a postgres:// or postgresql:// connection string');
    expect(found[1]).toMatch(/^APP_SECRET must be at least 32 characters/);
    expect(found[2]).toMatch(/^PUBLIC_URL must be an http\(s\) URL/);
  });

  it('wants all of Twilio or none, and PUBLIC_URL with it', () => {
    const found = problems({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` });
    expect(found).toEqual([
      'TWILIO_AUTH_TOKEN is required when TWILIO_ACCOUNT_SID is set',
      'TWILIO_MESSAGING_SERVICE_SID is required when TWILIO_ACCOUNT_SID is set',
      'PUBLIC_URL is required when Twilio or Stripe is configured (webhook signatures are checked against it)',
    ]);
  });

  it('parses a full production configuration', () => {
    const env = parseEnv({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db.example.com:5432/optline',
      APP_SECRET: SECRET,
      PUBLIC_URL: 'https://optline.example.com/',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'b'.repeat(32),
      TWILIO_MESSAGING_SERVICE_SID: `MG${'c'.repeat(32)}`,
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_456',
    });
    expect(env.publicUrl).toBe('https://optline.example.com');
    expect(env.twilio?.messagingServiceSid).toBe(`MG${'c'.repeat(32)}`);
    expect(env.stripe).toEqual({ secretKey: 'sk_test_123', webhookSecret: 'whsec_456' });
  });

  it('reads the worker settings: in the app process unless OPTLINE_WORKER=off, 256 jobs at once, twice as many fetched; names a bad value', () => {
    expect(parseEnv({}).worker).toEqual({ inProcess: true, concurrency: 256, localQueueSize: 512 });
    expect(parseEnv({ OPTLINE_WORKER: 'off', WORKER_CONCURRENCY: '32' }).worker).toEqual({
      inProcess: false,
      concurrency: 32,
      localQueueSize: 64,
    });
    expect(parseEnv({ WORKER_CONCURRENCY: '32', WORKER_LOCAL_QUEUE: '100' }).worker).toEqual({
      inProcess: true,
      concurrency: 32,
      localQueueSize: 100,
    });
    expect(problems({ OPTLINE_WORKER: 'no' })).toEqual(['OPTLINE_WORKER must be on or off']);
    expect(problems({ WORKER_CONCURRENCY: '0' })).toEqual(['WORKER_CONCURRENCY must be a number of jobs from 1 to 4096']);
    expect(problems({ WORKER_CONCURRENCY: 'many' })).toEqual(['WORKER_CONCURRENCY must be a number of jobs from 1 to 4096']);
    expect(problems({ WORKER_LOCAL_QUEUE: '100' })).toEqual(['WORKER_LOCAL_QUEUE must be at least WORKER_CONCURRENCY (256)']);
  });

  it('turns the sandbox clock on only with the sandbox providers and the worker in the app, and says why otherwise', () => {
    expect(parseEnv({}).sandboxClock).toBe(false);
    expect(parseEnv({ OPTLINE_SANDBOX_CLOCK: 'on' }).sandboxClock).toBe(true);
    expect(parseEnv({ NODE_ENV: 'production', APP_SECRET: SECRET, OPTLINE_SANDBOX_CLOCK: 'on' }).sandboxClock).toBe(true);
    const twilio = {
      PUBLIC_URL: 'https://optline.example.com',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'b'.repeat(32),
      TWILIO_MESSAGING_SERVICE_SID: `MG${'c'.repeat(32)}`,
    };
    expect(problems({ ...twilio, OPTLINE_SANDBOX_CLOCK: 'on' })).toEqual([
      'OPTLINE_SANDBOX_CLOCK is for the sandbox only: refused while Twilio is configured (a virtual clock must never decide when a real text goes or a real payment link expires)',
    ]);
    const stripe = { PUBLIC_URL: 'https://optline.example.com', STRIPE_SECRET_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_456' };
    expect(problems({ ...stripe, OPTLINE_SANDBOX_CLOCK: 'on' })).toEqual([
      'OPTLINE_SANDBOX_CLOCK is for the sandbox only: refused while Stripe is configured (a virtual clock must never decide when a real text goes or a real payment link expires)',
    ]);
    expect(problems({ OPTLINE_SANDBOX_CLOCK: 'on', OPTLINE_WORKER: 'off' })).toEqual([
      'OPTLINE_SANDBOX_CLOCK needs the worker in the app process: with OPTLINE_WORKER=off a separate worker would not share the sandbox clock',
    ]);
    expect(parseEnv({ ...twilio, OPTLINE_SANDBOX_CLOCK: 'off' }).sandboxClock).toBe(false);
    expect(problems({ OPTLINE_SANDBOX_CLOCK: 'yes' })).toEqual(['OPTLINE_SANDBOX_CLOCK must be on or off']);
  });

  it('reads the Data API settings: on by default, DATA_API=off, the Supabase JWT secret when set; names a bad value', () => {
    expect(parseEnv({}).dataApi).toEqual({ enabled: true });
    const secret = 'super-secret-jwt-token-with-at-least-32-characters-long';
    expect(parseEnv({ DATA_API: 'off', SUPABASE_JWT_SECRET: secret }).dataApi).toEqual({ enabled: false, supabaseJwtSecret: secret });
    expect(problems({ SUPABASE_JWT_SECRET: 'short' })).toEqual([
      "SUPABASE_JWT_SECRET must be at least 32 characters (the project's JWT secret: Settings → API → JWT secret)",
    ]);
    expect(problems({ DATA_API: 'maybe' })).toEqual(['DATA_API must be on or off']);
  });

  it('reads where the app server listens: PORT (default 3000) and HOST, and names a bad port', () => {
    expect(parseEnv({})).toMatchObject({ port: 3000 });
    expect(parseEnv({}).host).toBeUndefined();
    expect(parseEnv({ PORT: '8080', HOST: '127.0.0.1' })).toMatchObject({ port: 8080, host: '127.0.0.1' });
    expect(problems({ PORT: 'eighty' })).toEqual(['PORT must be a port number from 1 to 65535']);
    expect(problems({ PORT: '70000' })).toEqual(['PORT must be a port number from 1 to 65535']);
  });

  it('refuses an unknown NODE_ENV', () => {
    expect(problems({ NODE_ENV: 'staging' })).toEqual(['NODE_ENV must be development, test or production']);
  });
});

describe('localSecret', () => {
  it('creates a random secret readable by the owner only, then keeps it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'optline-secret-'));
    const file = path.join(dir, 'nested', 'app-secret');
    const first = localSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(localSecret(file)).toBe(first);
    expect(localSecret(path.join(dir, 'other'))).not.toBe(first);
  });

  it('refuses a file holding a short secret, naming it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'optline-secret-'));
    const file = path.join(dir, 'app-secret');
    writeFileSync(file, 'short\n');
    expect(() => localSecret(file)).toThrow(/app-secret holds a secret shorter than 32 characters/);
  });
});
