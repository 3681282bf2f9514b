import { z } from 'zod';
import { recordAudit } from '../db/audit-repository';
import { userRepository, type User } from '../db/user-repository';
import { withTransaction } from '../db/queryable';
import { AppError } from '../http/app-error';
import type pg from 'pg';
import type { Auth } from './auth';
import { actorRef, ROLES, type Actor, type Role } from './roles';

export const newUserBody = z.strictObject({
  name: z.string({ error: 'give a name' }).trim().min(1, { error: 'give a name' }).max(120, { error: 'the name is longer than 120 characters' }),
  email: z.email({ error: 'give an email address like name@example.com' }).max(254).transform((e) => e.toLowerCase()),
  password: z
    .string({ error: 'choose a password' })
    .min(12, { error: 'the password needs at least 12 characters' })
    .max(128, { error: 'the password is longer than 128 characters' }),
});

export const roleBody = z.strictObject({ role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }) });

/**
 * People and their roles. Accounts are created here (the owner on first
 * start, the others by an owner or admin) with better-auth's own password
 * hashing; public sign-up is off.
 */
export function accounts(deps: { auth: Auth; pool: pg.Pool }) {
  const users = userRepository(deps.pool);

  const create = async (input: z.infer<typeof newUserBody>, role: Role, by: string): Promise<User> => {
    const ctx = await deps.auth.$context;
    if (await ctx.internalAdapter.findUserByEmail(input.email)) {
      throw new AppError('conflict', `there is already an account for ${input.email}`, { path: 'email' });
    }
    const hash = await ctx.password.hash(input.password);
    const created = await ctx.internalAdapter.createUser({ email: input.email, name: input.name, emailVerified: true, role, disabled: false }, { method: 'admin' });
    await ctx.internalAdapter.linkAccount({ userId: created.id, providerId: 'credential', accountId: created.id, password: hash });
    await recordAudit(deps.pool, { actor: by, action: 'user.created', subjectType: 'user', subjectId: created.id, details: { email: input.email, role } });
    return (await users.get(created.id))!;
  };

  return {
    users,

    /** Whether the first-start set-up is still to do (no account exists). */
    async needsOwner(): Promise<boolean> {
      return (await users.count()) === 0;
    },

    /** Creates the owner: only while no account exists (the one-owner index settles a race). */
    async createOwner(input: z.infer<typeof newUserBody>): Promise<User> {
      if ((await users.count()) > 0) throw new AppError('conflict', 'Optline already has an owner: sign in instead');
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
      if (input.role === 'admin' && actor.role !== 'owner') throw new AppError('forbidden', 'only the owner can make an admin', { path: 'role' });
      return create(input, input.role, actorRef(actor));
    },

    async setRole(actor: Actor, userId: string, role: Role): Promise<User> {
      const target = await users.get(userId);
      if (!target) throw new AppError('not_found', `there is no user "${userId}"`, { path: 'id' });
      if (target.role === 'owner') throw new AppError('forbidden', "the owner's role cannot change");
      if (role === 'owner') throw new AppError('forbidden', 'there is one owner; choose another role', { path: 'role' });
      if ((role === 'admin' || target.role === 'admin') && actor.role !== 'owner') throw new AppError('forbidden', 'only the owner can make or unmake an admin');
      if (target.id === actor.userId) throw new AppError('forbidden', 'you cannot change your own role');
      return withTransaction(deps.pool, async (tx) => {
        const updated = (await userRepository(tx).setRole(userId, role))!;
        // A role change ends the person's sessions, so the new role applies at once.
        await tx.query('delete from "auth_sessions" where "userId" = $1', [userId]);
        await recordAudit(tx, { actor: actorRef(actor), action: 'user.role_changed', subjectType: 'user', subjectId: userId, details: { from: target.role, to: role } });
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
        await recordAudit(tx, { actor: actorRef(actor), action: disabled ? 'user.disabled' : 'user.enabled', subjectType: 'user', subjectId: userId, details: {} });
        return updated;
      });
    },
  };
}

export type Accounts = ReturnType<typeof accounts>;
