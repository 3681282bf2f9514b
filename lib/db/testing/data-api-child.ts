/**
 * A process that starts the Data API's PostgREST on a test database and is
 * then killed by lib/db/data-api-server.test.ts.
 *   tsx lib/db/testing/data-api-child.ts <databaseUrl>
 */
import { DATA_API_AUDIENCE, dataApiJwtSecret } from '@/lib/crypto/data-api-jwt';
import { deriveKey } from '@/lib/crypto/keys';
import { startDataApiServer } from '@/lib/db/data-api-server';
import { createPool } from '@/lib/db/pool';
import { TEST_APP_SECRET } from './fixtures';

const [databaseUrl] = process.argv.slice(2);
const pool = createPool(databaseUrl!);
const server = await startDataApiServer({
  databaseUrl: databaseUrl!,
  pool,
  loginPassword: deriveKey(TEST_APP_SECRET, 'data-api-login-v1').toString('base64url'),
  jwtSecret: dataApiJwtSecret({ appSecret: TEST_APP_SECRET }),
  jwtAudience: DATA_API_AUDIENCE,
});
await pool.end();
console.log(`ready ${server.url}`);
setInterval(() => undefined, 1000);
