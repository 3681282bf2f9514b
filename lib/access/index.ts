// The pure core's access rules: who may do what (roles, permissions, API token scopes) and how often one may try a password. Safe in the browser.
export type { PublicToken, PublicUser } from './public-views';
export {
  type Actor,
  actorRef,
  type Authenticate,
  can,
  isRole,
  type Permission,
  requirePermission,
  type Role,
  ROLE_PERMISSIONS,
  ROLES,
  ROLES_REQUIRING_2FA,
  TOKEN_SCOPES,
  type TokenScope,
} from './roles';
export { ACCOUNT_LIMIT, admitAttempt, type AttemptDecision, type AttemptRecord } from './sign-in-throttle';
