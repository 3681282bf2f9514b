import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { DATA_API_AUDIENCE, dataApiJwtSecret } from '@/lib/crypto/data-api-jwt';
import { deriveKey } from '@/lib/crypto/keys';
import { startDataApiServer, type DataApiServer } from '@/lib/db/data-api-server';
import { dataApiProxy } from '@/lib/http/data-api-proxy';
import { TEST_APP_SECRET } from './fixtures';
import type { TestDatabase } from './test-database';

/** The Data API of a test file: PostgREST on its database, behind the app's /rest/v1 proxy. */
export interface TestDataApi {
  /** The base URL supabase-js is given (it appends /rest/v1). */
  url: string;
  /** The secret PostgREST trusts (as `npm start` derives it from APP_SECRET). */
  jwtSecret: string;
}

/**
 * Starts PostgREST for this test file's database the way `npm start` does
 * (lib/db/data-api-server.ts, keys derived from the tests' APP_SECRET) and
 * serves it through the same proxy as server.ts; stopped after the file.
 * Never skipped: a platform without the binary fails the file.
 */
export function useDataApi(db: () => TestDatabase): () => TestDataApi {
  let postgrest: DataApiServer | undefined;
  let server: Server | undefined;
  let api: TestDataApi | undefined;
  beforeAll(async () => {
    const jwtSecret = dataApiJwtSecret({ appSecret: TEST_APP_SECRET });
    postgrest = await startDataApiServer({
      databaseUrl: db().url,
      pool: db().pool,
      loginPassword: deriveKey(TEST_APP_SECRET, 'data-api-login-v1').toString('base64url'),
      jwtSecret,
      jwtAudience: DATA_API_AUDIENCE,
    });
    const proxy = dataApiProxy(() => postgrest!.url);
    server = createServer((req, res) => {
      if (!proxy(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    api = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, jwtSecret };
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await postgrest?.stop();
  });
  return () => {
    if (!api) throw new Error('the Data API starts in beforeAll: use it inside a test or hook');
    return api;
  };
}
