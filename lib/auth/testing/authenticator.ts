import type pg from 'pg';
import type { Authenticate } from '@/lib/access/roles';
import { createAuth } from '@/lib/auth/auth';
import { createAuthenticator } from '@/lib/auth/request-actor';

/** The real authenticator (sessions by better-auth, API tokens by their hash) on a test database, as the app builds it. */
export function testAuthenticator(pool: pg.Pool): Authenticate {
  const auth = createAuth({
    pool,
    secret: 'test-secret-test-secret-test-secret-42',
    baseURL: 'http://localhost:3000',
    secureCookies: false,
  });
  return createAuthenticator({ auth, pool });
}
