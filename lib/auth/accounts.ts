import type { PublicUser } from '@/lib/access/public-views';
import { generateId } from 'better-auth';
import { z } from 'zod';
import { recordAudit } from '@/lib/db/audit-repository';
import { userRepository, type User } from '@/lib/db/user-repository';
import { isPgError, withTransaction } from '@/lib/db/queryable';
import { AppError } from '@/lib/app-error';
import type pg from 'pg';
import type { Auth } from './auth';
import { passwordProblem } from './password-policy';
import { actorRef, ROLES, type Actor, type Role } from '@/lib/access/roles';

export const newUserBody = z.strictObject({
  name: z
    .string({ error: 'give a name' })
    .trim()
    .min(1, { error: 'give a name' })
    .max(120, { error: 'the name is longer than 120 characters' }),
  email: z
    .email({ error: 'give an email address like name@example.com' })
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: z
    .string({ error: 'choose a password' })
    .min(12, { error: 'the password needs at least 12 characters' })
    .max(128, { error: 'the password is longer than 128 characters' }),
});

/** A user as the API and the console show them: no secrets, times as ISO strings. */
export function publicUser(u: User): PublicUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabled,
    twoFactorEnabled: u.twoFactorEnabled,
    createdAt: u.createdAt.toISOString(),
  };
}

export const roleBody = z.strictObject({ role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }) });

/**
 * People and their roles. Accounts are created here (the owner on first
 * start, the others by an owner or admin) with better-auth's own password
 * hashing; public sign-up is off.
 */
export function accounts(deps: { auth: Auth; pool: pg.Pool }) {
  const users = userRepository(deps.pool);

  // The person, their password and the audit entry in one transaction: an account exists only whole (better-auth's own writers cannot join it).
  const create = async (input: z.infer<typeof newUserBody>, role: Role, by: string): Promise<User> => {
    const problem = passwordProblem(input.password, input);
    if (problem)
      throw new AppError('validation_failed', `password: ${problem}`, {
        path: 'password',
        details: [{ path: 'password', message: problem }],
      });
    // better-auth looks people up by lower-case email.
    const email = input.email.trim().toLowerCase();
    const ctx = await deps.auth.$context;
    const hash = await ctx.password.hash(input.password);
    const id = generateId();
    try {
      await withTransaction(deps.pool, async (tx) => {
        await userRepository(tx).create({ id, name: input.name, email, role }, { id: generateId(), passwordHash: hash });
        await recordAudit(tx, { actor: by, action: 'user.created', subjectType: 'user', subjectId: id, details: { email, role } });
      });
    } catch (err) {
      if (isPgError(err, '23505', 'auth_users_email_key'))
        throw new AppError('conflict', `there is already an account for ${email}`, { path: 'email' });
      throw err;
    }
    return (await users.get(id))!;
  };

  return {
    users,

    /** Whether the first-start set-up is still to do (no account exists). */
    async needsOwner(): Promise<boolean> {
      return (await users.count()) === 0;
    },

    /**
     * Creates the owner: only while no account exists (the one-owner index
     * settles a race), and only from a page sign-in will accept (`origin`, the
     * request's Origin header): an owner who then cannot sign in is no set-up.
     */
    async createOwner(input: z.infer<typeof newUserBody>, from: { origin: string | null } = { origin: null }): Promise<User> {
      if ((await users.count()) > 0) throw new AppError('conflict', 'Optline already has an owner: sign in instead');
      // better-auth's list holds the base URL's origin and then trustedOrigins again.
      const trusted = [...new Set((await deps.auth.$context).trustedOrigins)];
      if (from.origin !== null && !trusted.includes(from.origin)) throw new AppError('forbidden', refusedOrigin(from.origin, trusted));
      try {
        return await create(input, 'owner', 'setup');
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((await users.count()) > 0 && !(await users.list()).some((u) => u.email === input.email)) {
          throw new AppError('conflict', 'Optline already has an owner: sign in instead');
        }
        throw err;
      }
    },

    /** An owner or admin adds a person with a role and a first password. Only the owner makes admins; nobody makes a second owner. */
    async createUser(actor: Actor, input: z.infer<typeof newUserBody> & { role: Role }): Promise<User> {
      if (input.role === 'owner') throw new AppError('forbidden', 'there is one owner; give this person another role', { path: 'role' });
      if (input.role === 'admin' && actor.role !== 'owner')
        throw new AppError('forbidden', 'only the owner can make an admin', { path: 'role' });
      return create(input, input.role, actorRef(actor));
    },

    async setRole(actor: Actor, userId: string, role: Role): Promise<User> {
      const target = await users.get(userId);
      if (!target) throw new AppError('not_found', `there is no user "${userId}"`, { path: 'id' });
      if (target.role === 'owner') throw new AppError('forbidden', "the owner's role cannot change");
      if (role === 'owner') throw new AppError('forbidden', 'there is one owner; choose another role', { path: 'role' });
      if ((role === 'admin' || target.role === 'admin') && actor.role !== 'owner')
        throw new AppError('forbidden', 'only the owner can make or unmake an admin');
      if (target.id === actor.userId) throw new AppError('forbidden', 'you cannot change your own role');
      return withTransaction(deps.pool, async (tx) => {
        const repo = userRepository(tx);
        const updated = (await repo.setRole(userId, role))!;
        // A role change ends the person's sessions, so the new role applies at once.
        await repo.endSessions(userId);
        await recordAudit(tx, {
          actor: actorRef(actor),
          action: 'user.role_changed',
          subjectType: 'user',
          subjectId: userId,
          details: { from: target.role, to: role },
        });
        return updated;
      });
    },

    async setDisabled(actor: Actor, userId: string, disabled: boolean): Promise<User> {
      const target = await users.get(userId);
      if (!target) throw new AppError('not_found', `there is no user "${userId}"`, { path: 'id' });
      if (target.role === 'owner') throw new AppError('forbidden', 'the owner cannot be disabled');
      if (target.id === actor.userId) throw new AppError('forbidden', 'you cannot disable yourself');
      if (target.role === 'admin' && actor.role !== 'owner') throw new AppError('forbidden', 'only the owner can disable an admin');
      return withTransaction(deps.pool, async (tx) => {
        const updated = (await userRepository(tx).setDisabled(userId, disabled))!;
        await recordAudit(tx, {
          actor: actorRef(actor),
          action: disabled ? 'user.disabled' : 'user.enabled',
          subjectType: 'user',
          subjectId: userId,
          details: {},
        });
        return updated;
      });
    },
  };
}

export type Accounts = ReturnType<typeof accounts>;

/** Why sign-in refuses a page opened at `origin`, and how to make it accept it. */
export function refusedOrigin(origin: string, trusted: readonly string[]): string {
  return `this page was opened at ${origin}, but sign-in accepts only ${trusted.join(' or ')} (PUBLIC_URL): set PUBLIC_URL=${origin}, the address people open, and restart Optline`;
}
