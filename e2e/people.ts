import path from 'node:path';
import type { Role } from '@/lib/access/roles';

/**
 * The people the end-to-end suite signs in as; the set-up project creates them through the app.
 * Passwords are fixed phrases of unrelated words: they pass the password policy (lib/auth/password-policy.ts).
 */
export const PEOPLE = {
  owner: { name: 'Olive Owner', email: 'olive@clinic.test', password: 'violet canyon drift ember' },
  admin: { name: 'Ada Admin', email: 'ada@clinic.test', password: 'copper lantern meadow tide' },
  editor: { name: 'Eddie Editor', email: 'eddie@clinic.test', password: 'quiet harbor pine falcon' },
  developer: { name: 'Devi Developer', email: 'devi@clinic.test', password: 'amber glacier orbit willow' },
  reviewer: { name: 'Rae Reviewer', email: 'rae@clinic.test', password: 'silver thistle rocket bay' },
} satisfies Record<Role, { name: string; email: string; password: string }>;

const AUTH_DIR = path.resolve('e2e/.auth');

/** Where a role's signed-in browser state is kept between the set-up project and the tests. */
export const storageStateOf = (role: Role): string => path.join(AUTH_DIR, `${role}.json`);

/** The TOTP secrets the set-up read off the enrolment page, by role. */
export const SECRETS_FILE = path.join(AUTH_DIR, 'totp-secrets.json');
/** A developer's API token, created in the set-up through the Account page. */
export const TOKEN_FILE = path.join(AUTH_DIR, 'developer-token.txt');
