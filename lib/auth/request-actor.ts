import type { Actor } from './roles';

/**
 * Who sent a request: the signed-in user (session cookie) or an API token's
 * owner. Being built in this session (better-auth sessions and API tokens);
 * until it lands every request is anonymous, so every guarded route answers 401.
 */
export async function authenticate(_request: Request): Promise<Actor | null> {
  return null;
}
