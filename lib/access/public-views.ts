import type { Role, TokenScope } from './roles';

/** A person as the API and the console show them (no password, no secrets). */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

/** An API token as the API and the console show it: its prefix, never its secret. */
export interface PublicToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
