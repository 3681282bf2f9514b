import type { IdentityMethod } from '@/lib/flow/machine-events';
import { recordOutboundEvents } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';

/** A run's identity check waiting for an answer: the answer on record only as its keyed hash. */
export interface PendingVerification {
  id: string;
  nodeId: string;
  method: IdentityMethod;
  answerHash: string;
  attemptsLeft: number;
  expiresAt: Date | null;
}

/** Identity checks (`verifications`), over a pool or a transaction's client. */
export function verificationRepository(db: Queryable) {
  return {
    /** A new check for the run; the one pending before is superseded (call it in a transaction). */
    async issue(input: {
      runId: string;
      nodeId: string;
      effectId: string;
      method: IdentityMethod;
      answerHash: string;
      attempts: number;
      expiresAt: Date | null;
    }): Promise<void> {
      await db.query(`update verifications set status = 'superseded' where run_id = $1 and status = 'pending'`, [input.runId]);
      await db.query(
        `insert into verifications (run_id, node_id, effect_id, method, answer_hash, attempts_left, expires_at) values ($1, $2, $3, $4, $5, $6, $7)`,
        [input.runId, input.nodeId, input.effectId, input.method, input.answerHash, input.attempts, input.expiresAt],
      );
    },

    /** The run's pending check, locked for this transaction. */
    async lockPending(runId: string): Promise<PendingVerification | undefined> {
      const {
        rows: [r],
      } = await db.query(
        `select id, node_id, method, answer_hash, attempts_left, expires_at from verifications where run_id = $1 and status = 'pending' for update`,
        [runId],
      );
      return (
        r && {
          id: String(r.id),
          nodeId: r.node_id as string,
          method: r.method as IdentityMethod,
          answerHash: r.answer_hash as string,
          attemptsLeft: Number(r.attempts_left),
          expiresAt: r.expires_at as Date | null,
        }
      );
    },

    /** Passes the check, with its `identity.verified` outbound webhook event (committed together: `atomically`). */
    async markVerified(id: string): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<IdentityEventRow>(
          `update verifications set status = 'verified' where id = $1 returning id, run_id, method`,
          [id],
        );
        await recordOutboundEvents(
          q,
          rows.map((r) => identityOutboundEvent('identity.verified', r)),
        );
      });
    },

    /** Fails the check (expired, or no attempts left), with its `identity.failed` outbound webhook event (committed together). */
    async markFailed(id: string, attemptsLeft?: number): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<IdentityEventRow>(
          `update verifications set status = 'failed', attempts_left = coalesce($2, attempts_left) where id = $1 returning id, run_id, method`,
          [id, attemptsLeft ?? null],
        );
        await recordOutboundEvents(
          q,
          rows.map((r) => identityOutboundEvent('identity.failed', r)),
        );
      });
    },

    async setAttemptsLeft(id: string, attemptsLeft: number): Promise<void> {
      await db.query(`update verifications set attempts_left = $2 where id = $1`, [id, attemptsLeft]);
    },
  };
}

interface IdentityEventRow {
  id: string;
  run_id: string;
  method: string;
}

/** An identity check's outbound webhook event: ids and the method (never the code or the answer). */
function identityOutboundEvent(type: 'identity.verified' | 'identity.failed', r: IdentityEventRow) {
  return { type, runId: r.run_id, data: { verificationId: r.id, runId: r.run_id, contactId: null, method: r.method } };
}
