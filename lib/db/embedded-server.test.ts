import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { EmbeddedServerError, startEmbeddedServer } from './embedded-server';

// The embedded server itself, whatever DATABASE_URL says: it is what `npm start` runs without one.
describe('embedded Postgres server', () => {
  let root: string;
  let dataDir: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'optline-embedded-'));
    // mkdtemp makes it 0700; as root, the server's user `postgres` must be able to enter it.
    await chmod(root, 0o755);
    dataDir = path.join(root, '.data', 'postgres');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function canConnect(url: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  it('starts once for several pools, creates and migrates the optline database, and stops with the last pool', async () => {
    const first = await openDatabase({ dataDir });
    const second = await openDatabase({ dataDir });
    expect(first.embedded).toBe(true);
    expect(second.url).toBe(first.url);
    const { rows } = await first.pool.query<{ db: string; n: number }>(
      'select current_database() as db, (select count(*)::int from optline_migrations) as n',
    );
    expect(rows[0]!.db).toBe('optline');
    expect(rows[0]!.n).toBeGreaterThan(0);
    const remembered = JSON.parse(await readFile(`${dataDir}.json`, 'utf8')) as { port: number; password: string };
    expect(first.url).toContain(`:${remembered.port}/optline`);
    expect(remembered.password.length).toBeGreaterThanOrEqual(32);

    await first.close();
    expect(await canConnect(second.url)).toBe(true);
    await second.close();
    expect(await canConnect(second.url)).toBe(false);
  });

  it('comes back on the remembered port with its data', async () => {
    const db = await openDatabase({ dataDir });
    try {
      const { port } = JSON.parse(await readFile(`${dataDir}.json`, 'utf8')) as { port: number };
      expect(db.url).toContain(`:${port}/`);
      const { rows } = await db.pool.query<{ n: number }>('select count(*)::int as n from settings');
      expect(rows[0]!.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('moves to a free port when something else took the remembered one, and remembers the new one', async () => {
    const { port } = JSON.parse(await readFile(`${dataDir}.json`, 'utf8')) as { port: number };
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const server = await startEmbeddedServer({ dataDir });
      try {
        expect(server.port).not.toBe(port);
        const remembered = JSON.parse(await readFile(`${dataDir}.json`, 'utf8')) as { port: number };
        expect(remembered.port).toBe(server.port);
      } finally {
        await server.stop();
      }
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('attaches to a server another process already runs on the same data, and leaves it running', async () => {
    const owner = await startEmbeddedServer({ dataDir });
    try {
      const guest = await startEmbeddedServer({ dataDir });
      expect(guest.owned).toBe(false);
      expect(guest.port).toBe(owner.port);
      await guest.stop();
      expect(await canConnect(owner.url('postgres'))).toBe(true);
    } finally {
      await owner.stop();
    }
    expect(await canConnect(owner.url('postgres'))).toBe(false);
  });

  /** Starts lib/db/testing/signal-child.ts, sends it SIGTERM once its server is up; how it ended, what it printed, its server's URL. */
  async function terminate(
    mode: 'handles' | 'default',
  ): Promise<{ code: number | null; signal: string | null; output: string; url: string }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve('lib/db/testing/signal-child.ts'), path.join(root, `signal-${mode}`), mode],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const ready = /ready (\S+)/.exec(output);
        if (ready) resolve(ready[1]!);
      });
      child.once('exit', () => reject(new Error(`the child exited before its server was up: ${output}`)));
    });
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    return { ...(await ended), output, url };
  }

  it('on SIGTERM, leaves the server to a process that handles the signal itself (it still answers there), and stops it otherwise', async () => {
    const handled = await terminate('handles');
    expect(handled.output).toContain('still answering');
    expect(handled.code).toBe(0);
    expect(await canConnect(handled.url)).toBe(false);

    const plain = await terminate('default');
    expect(plain.signal).toBe('SIGTERM');
    expect(await canConnect(plain.url)).toBe(false);
  }, 120_000);

  it('explains what to do when the data exists but its port and password file is gone', async () => {
    await rm(`${dataDir}.json`);
    await expect(startEmbeddedServer({ dataDir })).rejects.toThrow(/\.data\/postgres\.json \(its port and password\) is missing/);
  });

  // Root only (the machine's CI and containers): the server would run as `postgres`, which cannot enter a mkdtemp directory.
  it.runIf(userInfo().uid === 0)(
    'as root, under a directory the postgres user cannot enter, stops with one sentence and spawns nothing',
    async () => {
      const closed = await mkdtemp(path.join(tmpdir(), 'optline-closed-'));
      try {
        const attempt = startEmbeddedServer({ dataDir: path.join(closed, '.data', 'postgres') });
        await expect(attempt).rejects.toBeInstanceOf(EmbeddedServerError);
        await expect(attempt).rejects.toThrow(`which cannot enter ${closed} (mode 700)`);
        await expect(readFile(path.join(closed, '.data', 'postgres', 'PG_VERSION'))).rejects.toThrow(/ENOENT/);
      } finally {
        await rm(closed, { recursive: true, force: true });
      }
    },
  );
});
