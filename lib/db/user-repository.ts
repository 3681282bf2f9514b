import type { Role } from '@/lib/access/roles';
import type { PublicUser } from '@/lib/access/public-views';
import type { Queryable } from './queryable';

/** A person who can sign in (better-auth's `auth_users`, with Optline's role): what the console shows, with the time as a Date. */
export interface User extends Omit<PublicUser, 'createdAt'> {
  createdAt: Date;
}

/** The row as read: better-auth leaves `twoFactorEnabled` null until two-factor is first set up. */
type Row = Omit<User, 'twoFactorEnabled'> & { twoFactorEnabled: boolean | null };

const toUser = (r: Row): User => ({ ...r, twoFactorEnabled: r.twoFactorEnabled === true });
const COLUMNS = `"id", "email", "name", "role", "disabled", "twoFactorEnabled", "createdAt"`;

export function userRepository(db: Queryable) {
  const endSessions = async (id: string): Promise<void> => {
    await db.query('delete from "auth_sessions" where "userId" = $1', [id]);
  };

  return {
    /**
     * Adds a person who signs in with a password: the user row and better-auth's
     * credential account (`passwordHash` from better-auth's own hashing). Call it
     * inside a transaction, so an account exists only whole.
     */
    async create(
      user: { id: string; name: string; email: string; role: Role },
      credential: { id: string; passwordHash: string },
    ): Promise<void> {
      await db.query(
        `insert into "auth_users" ("id", "name", "email", "emailVerified", "twoFactorEnabled", "role", "disabled") values ($1, $2, $3, true, false, $4, false)`,
        [user.id, user.name, user.email, user.role],
      );
      await db.query(
        `insert into "auth_accounts" ("id", "accountId", "providerId", "userId", "password", "updatedAt") values ($1, $2, 'credential', $2, $3, now())`,
        [credential.id, user.id, credential.passwordHash],
      );
    },

    /** Whether the account is disabled; false for an id with no account. */
    async isDisabled(id: string): Promise<boolean> {
      const { rows } = await db.query<{ disabled: boolean }>('select "disabled" from "auth_users" where "id" = $1', [id]);
      return rows[0]?.disabled === true;
    },

    /** Ends every session of a person (a changed role or a disabled account applies at once). */
    endSessions,

    async count(): Promise<number> {
      const { rows } = await db.query<{ n: string }>('select count(*) as n from "auth_users"');
      return Number(rows[0]!.n);
    },

    async list(): Promise<User[]> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from "auth_users" order by "createdAt", "email"`);
      return rows.map(toUser);
    },

    async get(id: string): Promise<User | null> {
      const { rows } = await db.query<Row>(`select ${COLUMNS} from "auth_users" where "id" = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : null;
    },

    async setRole(id: string, role: Role): Promise<User | null> {
      const { rows } = await db.query<Row>(
        `update "auth_users" set "role" = $2, "updatedAt" = now() where "id" = $1 returning ${COLUMNS}`,
        [id, role],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    /** Disables or re-enables an account; disabling also ends its sessions. */
    async setDisabled(id: string, disabled: boolean): Promise<User | null> {
      const { rows } = await db.query<Row>(
        `update "auth_users" set "disabled" = $2, "updatedAt" = now() where "id" = $1 returning ${COLUMNS}`,
        [id, disabled],
      );
      if (disabled) await endSessions(id);
      return rows[0] ? toUser(rows[0]) : null;
    },
  };
}

export type UserRepository = ReturnType<typeof userRepository>;
