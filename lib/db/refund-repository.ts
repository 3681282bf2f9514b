import type { Queryable } from './queryable';

/** A refund Optline owes for one paid page. */
export interface RefundRow {
  id: string;
  paymentId: string;
  providerSessionId: string;
  reason: string;
  status: 'due' | 'refunded' | 'failed';
  providerRefundId: string | null;
  error: string | null;
}

const toRefund = (r: Record<string, unknown>): RefundRow => ({
  id: r.id as string,
  paymentId: r.payment_id as string,
  providerSessionId: r.provider_session_id as string,
  reason: r.reason as string,
  status: r.status as RefundRow['status'],
  providerRefundId: r.provider_refund_id as string | null,
  error: r.error as string | null,
});

/** Refunds: one per paid page (`provider_session_id`), due until the provider answers. */
export function refundRepository(db: Queryable) {
  return {
    /** Records a refund as due; undefined when that page already has one (a replayed event). */
    async addDue(input: { paymentId: string; providerSessionId: string; reason: string }): Promise<RefundRow | undefined> {
      const { rows } = await db.query(
        `insert into payment_refunds (payment_id, provider_session_id, reason) values ($1, $2, $3)
         on conflict (provider_session_id) do nothing returning *`,
        [input.paymentId, input.providerSessionId, input.reason],
      );
      return rows[0] ? toRefund(rows[0]) : undefined;
    },

    async get(id: string): Promise<RefundRow | undefined> {
      const { rows } = await db.query('select * from payment_refunds where id = $1', [id]);
      return rows[0] ? toRefund(rows[0]) : undefined;
    },

    async ofPayment(paymentId: string): Promise<RefundRow[]> {
      const { rows } = await db.query('select * from payment_refunds where payment_id = $1 order by created_at', [paymentId]);
      return rows.map(toRefund);
    },

    async markRefunded(id: string, providerRefundId: string, at: Date): Promise<void> {
      await db.query(
        `update payment_refunds set status = 'refunded', provider_refund_id = $2, refunded_at = $3, error = null where id = $1 and status <> 'refunded'`,
        [id, providerRefundId, at],
      );
    },

    async markFailed(id: string, error: string): Promise<void> {
      await db.query(`update payment_refunds set status = 'failed', error = $2 where id = $1 and status = 'due'`, [id, error]);
    },
  };
}
