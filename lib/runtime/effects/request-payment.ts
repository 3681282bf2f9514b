import type { EffectContext } from '@/lib/db/effect-context';
import { paymentRepository } from '@/lib/db/payment-repository';
import { withTransaction } from '@/lib/db/queryable';
import { parseDuration } from '@/lib/flow/duration';
import type { RequestPaymentParams } from '@/lib/flow/machine-events';
import { MAX_PAYMENT_AMOUNT } from '@/lib/flow/schema';
import { renderTemplate } from '@/lib/flow/templates';
import { chargeAmount, fromMinorUnits } from '@/lib/providers/money';
import { hashPaymentToken, newPaymentToken } from '@/lib/providers/payment-token';
import { scopeOf } from '@/lib/runtime/contact-scope';
import type { EffectJob } from '@/lib/runtime/tasks';
import { issueOf, type EffectDeps } from './effect-deps';
import { sendText } from './send-text';

/** How long a payment link lasts when the node names no `expiresIn`. */
const DEFAULT_LINK_LIFETIME_MS = 72 * 3_600_000;

/**
 * Texts a payment link for the amount the node names (a number, or a
 * template over the run's variables): a hosted page at the provider behind
 * Optline's own short link. An amount that is no amount, or no provider,
 * fails the node with why.
 */
export async function requestPayment(deps: EffectDeps, job: EffectJob, target: EffectContext, p: RequestPaymentParams): Promise<void> {
  const { pool, clock, payments, publicUrl, steps } = deps;
  const { run, contact } = target;
  const failed = (reason: string) => ({ type: 'payment.failed', nodeId: p.nodeId, reason });
  const scope = scopeOf(run.snapshot, contact);
  const fail = async (reason: string): Promise<void> => {
    await steps.deliver(run.id, failed(reason), `${job.effect.id}:failed`);
  };
  const amountText = typeof p.amount === 'number' ? String(p.amount) : renderTemplate(p.amount, scope).trim();
  const charge = chargeAmount(amountText, p.currency, MAX_PAYMENT_AMOUNT);
  if (!charge.ok) return fail(charge.reason);
  const { amountMinor } = charge;
  if (!payments) return fail('payments are not configured');
  const amount = fromMinorUnits(amountMinor, p.currency);
  const description = renderTemplate(p.description, scope).trim() || 'Payment';
  const expiresAt = new Date(clock().getTime() + (parseDuration(p.expiresIn) ?? DEFAULT_LINK_LIFETIME_MS));
  await sendText(
    deps,
    job,
    target,
    { nodeId: p.nodeId, kind: 'payment', purpose: 'informational', body: p.body, outsideHours: 'defer' },
    {
      sent: null,
      failed,
      storedScope: { payment: { link: `${publicUrl}/pay/…`, amount } },
      prepare: async () => {
        const link = await payments.createPaymentLink({
          effectId: issueOf(job),
          runId: run.id,
          amountMinor,
          currency: p.currency,
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
            currency: p.currency,
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
    },
  );
}
