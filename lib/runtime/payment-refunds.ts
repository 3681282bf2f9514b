import type pg from 'pg';
import { refundRepository } from '@/lib/db/refund-repository';
import type { Queryable } from '@/lib/db/queryable';
import { ProviderError } from '@/lib/providers/errors';
import type { PaymentEvent, PaymentProvider } from '@/lib/providers/payments';

/**
 * Whether a payment event says the provider took money: a payment, or a
 * payment Optline fails after capture (a card check came back `fail`).
 */
export function tookMoney(event: PaymentEvent): boolean {
  return event.type === 'paid' || (event.type === 'failed' && event.captured);
}

/**
 * Records the refund a paid page is owed, in the caller's transaction, and
 * returns its id for the job that makes it; undefined when that page already
 * has one (the same event again).
 */
export async function recordRefundDue(
  db: Queryable,
  input: { paymentId: string; providerSessionId: string; reason: string },
): Promise<string | undefined> {
  return (await refundRepository(db).addDue(input))?.id;
}

/**
 * Makes a due refund at the provider, once: the refund's id is the
 * idempotency key, so a retry after a crash gets the same refund back. A
 * provider that refuses for good (a 4xx) leaves the refund `failed` with its
 * answer for an operator; a provider that is down throws, and the job retries.
 */
export async function performRefund(
  deps: { pool: pg.Pool; payments: PaymentProvider | undefined; clock: () => Date },
  refundId: string,
): Promise<void> {
  const refunds = refundRepository(deps.pool);
  const refund = await refunds.get(refundId);
  if (refund?.status !== 'due') return;
  if (!deps.payments) throw new Error(`refund ${refundId} is due but no payment provider is configured`);
  try {
    const made = await deps.payments.refundPayment({
      providerId: refund.providerSessionId,
      idempotencyKey: `refund:${refund.id}`,
      reason: refund.reason,
    });
    await refunds.markRefunded(refund.id, made.refundId, deps.clock());
  } catch (err) {
    if (err instanceof ProviderError && !err.retryable) {
      await refunds.markFailed(refund.id, err.message);
      return;
    }
    throw err;
  }
}
