import type pg from 'pg';
import type { AttemptDecision, AttemptRecord } from '@/lib/access/sign-in-throttle';
import { withTransaction } from './queryable';

/** Password attempts per email (`auth_sign_in_attempts`). */
export function signInAttemptRepository(pool: pg.Pool) {
  return {
    /**
     * Decides an attempt with the email's record locked, so attempts racing
     * each other are counted one after another; stores the record when admitted.
     */
    async decide(email: string, decide: (record: AttemptRecord | null) => AttemptDecision): Promise<AttemptDecision> {
      return withTransaction(pool, async (tx) => {
        // A first attempt has no row to lock: two at once would both read "none".
        await tx.query(
          `insert into "auth_sign_in_attempts" ("email", "failures", "firstFailureAt", "lastFailureAt") values ($1, 0, now(), now()) on conflict ("email") do nothing`,
          [email],
        );
        const { rows } = await tx.query<AttemptRecord>(
          `select "failures", "firstFailureAt", "lastFailureAt" from "auth_sign_in_attempts" where "email" = $1 for update`,
          [email],
        );
        const row = rows[0]!;
        const decision = decide(row.failures === 0 ? null : row);
        if (decision.admitted) {
          const r = decision.record;
          await tx.query(
            `update "auth_sign_in_attempts" set "failures" = $2, "firstFailureAt" = $3, "lastFailureAt" = $4 where "email" = $1`,
            [email, r.failures, r.firstFailureAt, r.lastFailureAt],
          );
        }
        return decision;
      });
    },

    /** Forgets an email's attempts (its password was right). */
    async clear(email: string): Promise<void> {
      await pool.query('delete from "auth_sign_in_attempts" where "email" = $1', [email]);
    },

    /** Drops records whose last attempt is older than `before`: they no longer limit anything. */
    async prune(before: Date): Promise<void> {
      await pool.query('delete from "auth_sign_in_attempts" where "lastFailureAt" < $1', [before]);
    },
  };
}
