import { createHmac } from 'node:crypto';
import { deriveKey } from './keys';

/**
 * JWTs for the Data API (PostgREST, or a Supabase project's own): HS256,
 * signed with the secret PostgREST is configured with. On a Supabase
 * project that is the project's JWT secret (SUPABASE_JWT_SECRET); elsewhere
 * a key derived from APP_SECRET, which the PostgREST `npm start` runs is
 * given. Only the signer is here: PostgREST checks signature, `aud` and `exp`.
 */

/** The audience every Data API JWT names and PostgREST requires (`jwt-aud`). */
export const DATA_API_AUDIENCE = 'optline-data-api';

/** The secret Data API JWTs are signed with: the Supabase project's when given, else derived from APP_SECRET (43 characters). */
export function dataApiJwtSecret(keys: { appSecret: string; supabaseJwtSecret?: string }): string {
  return keys.supabaseJwtSecret ?? deriveKey(keys.appSecret, 'data-api-jwt-v1').toString('base64url');
}

/** A compact HS256 JWT of `claims`. */
export function signHs256Jwt(claims: Record<string, unknown>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
