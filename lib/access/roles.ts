import { AppError } from '@/lib/app-error';

/**
 * Who may do what. One table from role to permissions; every API route names
 * the permission it needs and the server checks it (`requirePermission`), so
 * hiding a button is never the only lock.
 */

export const ROLES = ['owner', 'admin', 'editor', 'developer', 'reviewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** See flows, versions, reviews, runs, contacts, the dashboard. */
  'read',
  /** Create, edit, rename, duplicate, delete drafts; submit a version for review. */
  'flows.edit',
  /** Import and export flow JSON. */
  'flows.transfer',
  /** Approve or reject a submitted version. */
  'reviews.decide',
  /** Activate an approved version, pause an active one. */
  'flows.activate',
  /** Add and import contacts, record consent evidence. */
  'contacts.write',
  /** Start and cancel runs, send events to runs. */
  'runs.write',
  /** Export the consent ledger and the audit log. */
  'audit.export',
  /** Brand, help and STOP texts. */
  'settings.edit',
  /** Pause all marketing to a US state (owner only). */
  'settings.pause_states',
  /** Invite users, change roles, disable accounts. */
  'users.manage',
  /** Create and revoke one's own API tokens. */
  'tokens.manage',
  /** Register, change and delete outbound webhook endpoints; read their delivery logs and redeliver. */
  'webhooks.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: [
    'read',
    'flows.edit',
    'flows.transfer',
    'contacts.write',
    'runs.write',
    'audit.export',
    'settings.edit',
    'settings.pause_states',
    'users.manage',
    'tokens.manage',
    'webhooks.manage',
  ],
  admin: [
    'read',
    'flows.edit',
    'flows.transfer',
    'contacts.write',
    'runs.write',
    'audit.export',
    'settings.edit',
    'users.manage',
    'tokens.manage',
    'webhooks.manage',
  ],
  editor: ['read', 'flows.edit', 'flows.transfer', 'contacts.write', 'runs.write'],
  developer: ['read', 'flows.transfer', 'contacts.write', 'runs.write', 'tokens.manage'],
  reviewer: ['read', 'reviews.decide', 'flows.activate', 'audit.export'],
};

/** Roles that must sign in with a second factor (TOTP). */
export const ROLES_REQUIRING_2FA: readonly Role[] = ['owner', 'admin', 'reviewer'];

/** Permissions an API token may carry (a token never approves, activates or manages people). */
export const TOKEN_SCOPES = ['read', 'flows.transfer', 'contacts.write', 'runs.write'] as const satisfies readonly Permission[];
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is asking: a signed-in user, or an API token acting for its owner within its scopes. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  role: Role;
  via: 'session' | 'token';
  /** For a token: its id and the permissions it was given. */
  token?: { id: string; scopes: readonly TokenScope[] };
  /** Signed in, but the role requires two-factor and none is set up yet: nothing is allowed until it is. */
  mustEnrolTwoFactor?: boolean;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether the actor holds a permission (a token also needs it in its scopes). */
export function can(actor: Actor, permission: Permission): boolean {
  if (!ROLE_PERMISSIONS[actor.role].includes(permission)) return false;
  if (actor.via === 'token') return (actor.token?.scopes as readonly Permission[] | undefined)?.includes(permission) ?? false;
  return true;
}

/** The actor, if it holds the permission; else 401 (nobody signed in) or 403 (signed in, not allowed). */
export function requirePermission(actor: Actor | null, permission: Permission): Actor {
  if (!actor) throw new AppError('unauthenticated', 'sign in first (or send an API token as "Authorization: Bearer …")');
  if (actor.mustEnrolTwoFactor)
    throw new AppError('forbidden', `the ${actor.role} role requires two-factor sign-in: set it up under Account first`);
  if (!can(actor, permission)) {
    const how = actor.via === 'token' ? `this API token (scopes: ${actor.token?.scopes.join(', ') || 'none'})` : `the ${actor.role} role`;
    throw new AppError('forbidden', `${how} may not do this: it needs the "${permission}" permission`);
  }
  return actor;
}

/** How the audit log and records name an actor: the user id, plus the token when one was used. */
export function actorRef(actor: Actor): string {
  return actor.via === 'token' && actor.token ? `${actor.userId} (token ${actor.token.id})` : actor.userId;
}

/** Finds who sent a request (session cookie or API token); null when nobody is signed in. */
export type Authenticate = (request: Request) => Promise<Actor | null>;
