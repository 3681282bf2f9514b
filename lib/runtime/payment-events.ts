import type pg from 'pg';
import type { AnyEventObject } from 'xstate';
import { addJob } from '@/lib/db/job-queue';
import { paymentRepository } from '@/lib/db/payment-repository';
import { withTransaction } from '@/lib/db/queryable';
import type { InboxKind } from '@/lib/db/run-repository';
import { fromMinorUnits } from '@/lib/flow/money';
import type { PaymentEvent } from '@/lib/providers/payments';
import { recordRefundDue, tookMoney } from './payment-refunds';
import { TASKS } from './tasks';

/** What became of a payment provider's event. */
export type PaymentEventOutcome =
  'ignored' | 'unknown' | 'settled' | 'duplicate' | 'paid' | 'failed' | 'expired' | 'recorded' | 'refunding';

/** What settling a payment reads and writes with. */
export interface PaymentEventDeps {
  pool: pg.Pool;
  clock: () => Date;
  publicUrl: string;
  /** Puts an event in a run's inbox in the caller's transaction (once per key); false when its key was seen before. */
  deliverEvent: (tx: pg.PoolClient, runId: string, event: AnyEventObject, key: string, kind: InboxKind) => Promise<boolean>;
}

/**
 * A payment provider's event (webhook, or the sandbox's test page), once per
 * event id: a paid or finally failed payment settles its link and answers the
 * run; a card check that failed is a failure with its reason; checks that were
 * unavailable or not made are kept on the payment. Money taken for a
 * payment that failed, or on a link already dead, is refunded (`refunding`).
 */
export async function receivePaymentEvent(deps: PaymentEventDeps, event: PaymentEvent): Promise<{ outcome: PaymentEventOutcome }> {
  if (event.type === 'ignored') return { outcome: 'ignored' };
  const { publicUrl } = deps;
  return withTransaction(deps.pool, async (tx) => {
    const payments = paymentRepository(tx);
    const pay = await payments.lockBySession(event.providerId);
    if (!pay) return { outcome: 'unknown' as const };
    const refund = async (reason: string) => {
      const refundId = await recordRefundDue(tx, { paymentId: pay.id, providerSessionId: event.providerId, reason });
      if (refundId) await addJob(tx, TASKS.refund, { refundId }, { key: `refund:${refundId}` });
      return refundId !== undefined;
    };
    if (pay.status !== 'pending') {
      // Paid again on a page of a link that is over (replaced, expired, failed): the money goes back. A paid link's replays change nothing.
      if (pay.status !== 'paid' && tookMoney(event)) {
        return {
          outcome: (await refund(`paid on a payment link that was already ${pay.status}`)) ? ('refunding' as const) : ('settled' as const),
        };
      }
      return { outcome: 'settled' as const };
    }
    const checks = event.cardChecks ? { cardChecks: event.cardChecks } : {};
    const key = `payment:${event.eventId}`;
    if (event.type === 'paid') {
      await payments.markPaid(pay.id, deps.clock(), checks);
      const amount = Number(fromMinorUnits(pay.amountMinor, pay.currency));
      const added = await deps.deliverEvent(
        tx,
        pay.runId,
        { type: 'payment.paid', nodeId: pay.nodeId, amount, receiptUrl: `${publicUrl}/pay/receipt/${pay.id}` },
        key,
        'payment',
      );
      return { outcome: added ? ('paid' as const) : ('duplicate' as const) };
    }
    if (event.type === 'failed' && event.final) {
      await payments.markFailed(pay.id, event.reason, checks);
      // The provider took the money before Optline's checks failed it: the contact is told they were not charged, so it goes back.
      if (event.captured) await refund(event.reason);
      const added = await deps.deliverEvent(
        tx,
        pay.runId,
        { type: 'payment.failed', nodeId: pay.nodeId, reason: event.reason },
        key,
        'payment',
      );
      return { outcome: added ? ('failed' as const) : ('duplicate' as const) };
    }
    if (event.type === 'expired' && event.final) {
      // The node's own timer takes the `expired` path; the link is dead from now on.
      await payments.markExpired(pay.id);
      return { outcome: 'expired' as const };
    }
    // A declined card inside the hosted page (the contact may try another), or only the provider's page expired.
    await payments.noteEvent(pay.id, { lastEvent: event.type, ...(event.type === 'failed' ? { lastFailure: event.reason } : {}) });
    return { outcome: 'recorded' as const };
  });
}
