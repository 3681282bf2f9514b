import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { formatMinorUnits } from '../../../lib/providers/money';
import { services } from '../../../lib/runtime/services';
import { payable, paymentForToken } from '../../api/webhooks/payment-handlers';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Payment', robots: { index: false } };

type Props = { params: Promise<{ token: string }> };

/**
 * Where a payment text's link leads. With Stripe: on to the hosted checkout
 * page. In the sandbox: a test page that pays or fails the payment without
 * any card data. Paid, failed, expired or replaced links say so.
 */
export default async function PayPage({ params }: Props) {
  const { token } = await params;
  const s = await services();
  const payment = await paymentForToken(s, token);
  if (!payment) notFound();
  const amount = formatMinorUnits(payment.amountMinor, payment.currency);
  if (payable(payment, new Date()) && payment.provider === 'stripe' && payment.checkoutUrl) redirect(payment.checkoutUrl);

  const closed =
    payment.status === 'paid'
      ? { title: 'Paid. Thank you!', text: `We received ${amount}${payment.paidAt ? ` on ${payment.paidAt.toUTCString()}` : ''}.` }
      : payment.status === 'failed'
        ? { title: 'This payment did not go through', text: 'You have not been charged. Please contact us to pay another way.' }
        : payment.status === 'superseded'
          ? { title: 'This link was replaced', text: 'A newer payment link was sent to you by text: please use that one.' }
          : !payable(payment, new Date())
            ? { title: 'This link has expired', text: 'Please contact us for a new payment link.' }
            : null;

  return (
    <main className="page pay-page">
      <section className="card pay-card" aria-labelledby="pay-title">
        <p className="meta">{payment.description}</p>
        <h1 id="pay-title" className="pay-amount">{closed ? closed.title : amount}</h1>
        {closed ? (
          <p>{closed.text}</p>
        ) : (
          <>
            <p className="notice" role="note">
              Test payment page (sandbox): no card is charged and no card details are asked for. With Stripe configured, this link opens Stripe’s secure checkout.
            </p>
            <form method="post" action={`/pay/${token}/outcome`} className="pay-form">
              <input type="hidden" name="outcome" value="paid" />
              <label className="field">
                <span className="field-label">Postal code check (test)</span>
                <select name="postalCode" defaultValue="pass">
                  <option value="pass">Passes</option>
                  <option value="fail">Fails (the payment is refused)</option>
                  <option value="unavailable">Unavailable (recorded, payment goes through)</option>
                </select>
              </label>
              <button type="submit" className="btn btn-primary">Pay {amount} (test)</button>
            </form>
            <form method="post" action={`/pay/${token}/outcome`}>
              <input type="hidden" name="outcome" value="failed" />
              <button type="submit" className="btn">Fail the payment (test)</button>
            </form>
            <p className="meta">The link works until {payment.expiresAt.toUTCString()}.</p>
          </>
        )}
      </section>
    </main>
  );
}
