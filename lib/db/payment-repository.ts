import type { CardChecks } from '@/lib/providers/payments';
import { UUID } from '@/lib/fields';
import { recordOutboundEvents } from './outbound-event-repository';
import { atomically, type Queryable } from './queryable';

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

    /** A new payment link for the run; the one pending before is superseded (call it in a transaction). */
    async issue(input: {
      runId: string;
      contactId: string;
      effectId: string;
      nodeId: string;
      tokenHash: string;
      amountMinor: number;
      currency: string;
      description: string;
      provider: PaymentRow['provider'];
      providerSessionId: string;
      checkoutUrl: string | null;
      expiresAt: Date;
      at: Date;
    }): Promise<void> {
      await db.query(`update payments set status = 'superseded' where run_id = $1 and status = 'pending'`, [input.runId]);
      await db.query(
        `insert into payments (run_id, contact_id, effect_id, node_id, token_hash, amount_minor, currency, description, provider, provider_session_id, checkout_url, expires_at, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          input.runId,
          input.contactId,
          input.effectId,
          input.nodeId,
          input.tokenHash,
          input.amountMinor,
          input.currency.toLowerCase(),
          input.description,
          input.provider,
          input.providerSessionId,
          input.checkoutUrl,
          input.expiresAt,
          input.at,
        ],
      );
    },

    /** The payment a provider's session belongs to, locked for this transaction. */
    async lockBySession(providerSessionId: string): Promise<(PaymentRow & { nodeId: string }) | undefined> {
      const { rows } = await db.query('select * from payments where provider_session_id = $1 for update', [providerSessionId]);
      return rows[0] ? { ...toPayment(rows[0]), nodeId: rows[0].node_id as string } : undefined;
    },

    /** Paid: `checks` (the provider's card checks) are added to what the payment keeps. */
    /** Marks a payment paid, with its `payment.succeeded` outbound webhook event (committed together: `atomically`). */
    async markPaid(id: string, at: Date, checks: object): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<PaymentEventRow>(
          `update payments set status = 'paid', paid_at = $2, verification = verification || $3::jsonb where id = $1
         returning id, run_id, contact_id, amount_minor, currency`,
          [id, at, JSON.stringify(checks)],
        );
        await recordOutboundEvents(
          q,
          rows.map((r) => paymentOutboundEvent('payment.succeeded', r)),
        );
      });
    },

    /** Marks a payment failed for good, with its `payment.failed` outbound webhook event (committed together; the reason stays here). */
    async markFailed(id: string, reason: string, checks: object): Promise<void> {
      await atomically(db, async (q) => {
        const { rows } = await q.query<PaymentEventRow>(
          `update payments set status = 'failed', failure_reason = $2, verification = verification || $3::jsonb where id = $1
         returning id, run_id, contact_id, amount_minor, currency`,
          [id, reason, JSON.stringify(checks)],
        );
        await recordOutboundEvents(
          q,
          rows.map((r) => paymentOutboundEvent('payment.failed', r)),
        );
      });
    },

    async markExpired(id: string): Promise<void> {
      await db.query(`update payments set status = 'expired' where id = $1`, [id]);
    },

    /** Keeps what an event that settles nothing said (a declined card the contact may retry), for the run's record. */
    async noteEvent(id: string, note: object): Promise<void> {
      await db.query(`update payments set verification = verification || $2::jsonb where id = $1`, [id, JSON.stringify(note)]);
    },

    /** A run's payment links, oldest first. */
    async ofRun(runId: string): Promise<PaymentRow[]> {
      const { rows } = await db.query('select * from payments where run_id = $1 order by created_at, id', [runId]);
      return rows.map(toPayment);
    },
  };
}

interface PaymentEventRow {
  id: string;
  run_id: string;
  contact_id: string;
  amount_minor: string;
  currency: string;
}

/** A payment's outbound webhook event: ids, amount and currency (never the link, its token or the provider's reason). */
function paymentOutboundEvent(type: 'payment.succeeded' | 'payment.failed', r: PaymentEventRow) {
  return {
    type,
    runId: r.run_id,
    contactId: r.contact_id,
    data: { paymentId: r.id, runId: r.run_id, contactId: r.contact_id, amountMinor: Number(r.amount_minor), currency: r.currency },
  };
}
