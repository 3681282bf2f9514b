// Who is asking: sessions (better-auth), API tokens, accounts, the page and request actors. Server only: page-actor.ts reads next/headers.
export { accounts, newUserBody, roleBody } from './accounts';
export { apiTokens, newTokenBody } from './api-tokens';
export { type Auth, createAuth } from './auth';
export { needsOwner, pageActor, requirePageActor } from './page-actor';
export { authenticate, authServices, createAuthenticator } from './request-actor';
export { REQUESTED_PATH_HEADER, safeReturnPath } from './return-path';
export { ROUTE_PERMISSIONS } from './route-permissions';
