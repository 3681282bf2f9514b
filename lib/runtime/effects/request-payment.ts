import type { AnyEventObject } from 'xstate';
import type { EffectContext } from '@/lib/db/effect-context';
import { paymentRepository } from '@/lib/db/payment-repository';
import { withTransaction } from '@/lib/db/queryable';
import type { RequestPaymentParams } from '@/lib/flow/machine-events';
import { hashPaymentToken, newPaymentToken } from '@/lib/providers/payment-token';
import { scopeOf } from '@/lib/runtime/contact-scope';
import { paymentPlan } from '@/lib/runtime/interpret/effect-plan';
import type { EffectJob } from '@/lib/runtime/tasks';
import { issueOf, type EffectDeps } from './effect-deps';
import { sendText } from './send-text';

/**
 * Texts a payment link for the amount the node names (`paymentPlan`): a
 * hosted page at the provider behind Optline's own short link. An amount
 * that is no amount, or no provider, fails the node with why.
 */
export async function requestPayment(deps: EffectDeps, job: EffectJob, target: EffectContext, p: RequestPaymentParams): Promise<void> {
  const { pool, clock, payments, publicUrl, steps } = deps;
  const { run, contact } = target;
  const plan = paymentPlan(p, scopeOf(run.snapshot, contact), clock());
  const fail = async (event: AnyEventObject): Promise<void> => {
    await steps.deliver(run.id, event, `${job.effect.id}:failed`);
  };
  if (plan.do === 'answer') return fail(plan.event);
  if (!payments) return fail({ type: 'payment.failed', nodeId: p.nodeId, reason: 'payments are not configured' });
  const { amountMinor, amount, currency, description, expiresAt } = plan;
  await sendText(deps, job, target, plan.text, {
    storedScope: { payment: { link: `${publicUrl}/pay/…`, amount } },
    prepare: async () => {
      const link = await payments.createPaymentLink({
        effectId: issueOf(job),
        runId: run.id,
        amountMinor,
        currency,
        description,
        successUrl: `${publicUrl}/pay/done`,
        cancelUrl: `${publicUrl}/pay/done`,
        expiresAt,
        issuedAt: clock(),
      });
      // Optline's own short link: 256 random bits, kept only as a hash, bound to this run and amount.
      const token = newPaymentToken();
      await withTransaction(pool, (tx) =>
        paymentRepository(tx).issue({
          runId: run.id,
          contactId: contact.id,
          effectId: issueOf(job),
          nodeId: p.nodeId,
          tokenHash: hashPaymentToken(token),
          amountMinor,
          currency,
          description,
          provider: payments.name === 'stripe' ? 'stripe' : 'sandbox',
          providerSessionId: link.providerId,
          checkoutUrl: link.token ? null : link.url,
          expiresAt: link.expiresAt,
          at: clock(),
        }),
      );
      return { payment: { link: `${publicUrl}/pay/${token}`, amount } };
    },
  });
}
