import path from 'node:path';
import type { Role } from '../lib/auth/roles';

/** The people the end-to-end suite signs in as; the set-up project creates them through the app. */
export const PEOPLE = {
  owner: { name: 'Olive Owner', email: 'olive@clinic.test', password: 'owner-password-long-enough' },
  admin: { name: 'Ada Admin', email: 'ada@clinic.test', password: 'admin-password-long-enough' },
  editor: { name: 'Eddie Editor', email: 'eddie@clinic.test', password: 'editor-password-long-enough' },
  developer: { name: 'Devi Developer', email: 'devi@clinic.test', password: 'developer-password-long' },
  reviewer: { name: 'Rae Reviewer', email: 'rae@clinic.test', password: 'reviewer-password-long' },
} satisfies Record<Role, { name: string; email: string; password: string }>;

const AUTH_DIR = path.resolve('e2e/.auth');

/** Where a role's signed-in browser state is kept between the set-up project and the tests. */
export const storageStateOf = (role: Role): string => path.join(AUTH_DIR, `${role}.json`);

/** The TOTP secrets the set-up read off the enrolment page, by role. */
export const SECRETS_FILE = path.join(AUTH_DIR, 'totp-secrets.json');
/** A developer's API token, created in the set-up through the Account page. */
export const TOKEN_FILE = path.join(AUTH_DIR, 'developer-token.txt');
