import type { CardChecks } from '../providers/payments';
import { UUID } from './uuid';
import type { Queryable } from './queryable';

/** A payment link as the pay page and receipts see it (never card data: there is none). */
export interface PaymentRow {
  id: string;
  runId: string;
  effectId: string;
  status: 'pending' | 'paid' | 'failed' | 'expired' | 'superseded';
  amountMinor: number;
  currency: string;
  description: string;
  provider: 'stripe' | 'sandbox';
  providerSessionId: string | null;
  checkoutUrl: string | null;
  failureReason: string | null;
  /** What the provider's card checks said (`unavailable`/`unchecked` are kept here for the run's record). */
  cardChecks: CardChecks | null;
  createdAt: Date;
  expiresAt: Date;
  paidAt: Date | null;
}

const toPayment = (r: Record<string, unknown>): PaymentRow => ({
  id: r.id as string,
  runId: r.run_id as string,
  effectId: r.effect_id as string,
  status: r.status as PaymentRow['status'],
  amountMinor: Number(r.amount_minor),
  currency: r.currency as string,
  description: r.description as string,
  provider: r.provider as PaymentRow['provider'],
  providerSessionId: r.provider_session_id as string | null,
  checkoutUrl: r.checkout_url as string | null,
  failureReason: r.failure_reason as string | null,
  cardChecks: (r.verification as { cardChecks?: CardChecks } | null)?.cardChecks ?? null,
  createdAt: r.created_at as Date,
  expiresAt: r.expires_at as Date,
  paidAt: r.paid_at as Date | null,
});

/** Payment links, found by the hash of their token (the token itself is never stored). */
export function paymentRepository(db: Queryable) {
  return {
    async findByTokenHash(tokenHash: string): Promise<PaymentRow | undefined> {
      const { rows } = await db.query('select * from payments where token_hash = $1', [tokenHash]);
      return rows[0] ? toPayment(rows[0]) : undefined;
    },

    async get(id: string): Promise<PaymentRow | undefined> {
      if (!UUID.test(id)) return undefined;
      const { rows } = await db.query('select * from payments where id = $1', [id]);
      return rows[0] ? toPayment(rows[0]) : undefined;
    },

    /** A run's payment links, oldest first. */
    async ofRun(runId: string): Promise<PaymentRow[]> {
      const { rows } = await db.query('select * from payments where run_id = $1 order by created_at, id', [runId]);
      return rows.map(toPayment);
    },
  };
}
