import { z } from 'zod';
import { paymentRepository, type PaymentRow } from '@/lib/db/payment-repository';
import { AppError } from '@/lib/app-error';
import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import { BODY_LIMITS, endpoints, formBody, jsonResponse, rawBody } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import { ProviderError, WebhookPayloadError, WebhookSignatureError } from '@/lib/providers/errors';
import { formatMinorUnits } from '@/lib/flow/money';
import { hashPaymentToken, isPaymentToken } from '@/lib/providers/payment-token';
import type { PaymentEvent } from '@/lib/providers/payments';
import { services, type Services } from '@/lib/runtime/services';
import { htmlResponse, renderPayPage, type PayPageView } from '@/app/pay/pay-page-html';

/** Where a refused webhook is noted: one line, never the sender's payload. */
export type WebhookLog = (line: string) => void;

/**
 * Reads a payment event; a bad signature (missing, wrong secret, stale,
 * altered body) is a 400 with one line logged and nothing stored, a bad
 * payload a 400, the provider down a 503 (it retries).
 */
async function readEvent(s: Services, raw: string, signature: string | null, log: WebhookLog): Promise<PaymentEvent> {
  try {
    return await s.providers.payments.parseEvent(raw, signature);
  } catch (err) {
    if (err instanceof WebhookSignatureError) {
      const reason = err.message.split('\n')[0]!.slice(0, 200);
      log(`payment webhook refused: ${reason}`);
      throw new AppError('bad_request', `the payment webhook signature is not valid: ${reason}`, { path: 'stripe-signature' });
    }
    if (err instanceof WebhookPayloadError) throw new AppError('bad_request', err.message);
    if (err instanceof ProviderError)
      throw new AppError('provider_unavailable', `the payment provider could not be reached: ${err.message}`);
    throw err;
  }
}

/** The payment a `/pay/<token>` link is for, or undefined for a token that names none. */
export async function paymentForToken(s: Services, token: string): Promise<PaymentRow | undefined> {
  if (!isPaymentToken(token)) return undefined;
  return paymentRepository(s.pool).findByTokenHash(hashPaymentToken(token));
}

/** Whether a payment can still be paid at `now`. */
export function payable(p: PaymentRow, now: Date): boolean {
  return p.status === 'pending' && p.expiresAt.getTime() > now.getTime();
}

/** A payment page with the status it is served with. */
interface PayPage {
  status: 200 | 404 | 410;
  view: PayPageView;
}

const NO_SUCH_LINK: PayPage = {
  status: 404,
  view: { kind: 'closed', title: 'This payment link does not exist', text: 'Please check the link in your text message, or contact us.' },
};

/**
 * Why a payment's link no longer works at `now`, as the page that says so
 * (410: it existed and never works again), or undefined while it can be paid.
 */
export function closedPageOf(payment: PaymentRow, now: Date): PayPage | undefined {
  if (payable(payment, now)) return undefined;
  const closed = (title: string, text: string): PayPage => ({
    status: 410,
    view: { kind: 'closed', title, text, description: payment.description },
  });
  switch (payment.status) {
    case 'paid':
      return closed(
        'Paid. Thank you!',
        `We received ${formatMinorUnits(payment.amountMinor, payment.currency)}${payment.paidAt ? ` on ${payment.paidAt.toUTCString()}` : ''}.`,
      );
    case 'failed':
      return closed('This payment did not go through', 'You have not been charged. Please contact us to pay another way.');
    case 'superseded':
      return closed('This link was replaced', 'A newer payment link was sent to you by text: please use that one.');
    case 'pending':
    case 'expired':
      return closed('This link has expired', 'Please contact us for a new payment link.');
    default: {
      const never: never = payment.status;
      throw new Error(`unknown payment status ${String(never)}`);
    }
  }
}

const servePage = (page: PayPage) => htmlResponse(renderPayPage(page.view), page.status);

// Any text: a token that names no payment gets the page that says so, not an error.
const tokenParams = z.object({ token: z.string() });

const CHECKS = new Set(['pass', 'fail', 'unavailable', 'unchecked']);

/**
 * The payment webhook (Stripe, checked with `stripe.webhooks.constructEvent`
 * on the raw body; the sandbox signs its events the same way) and the
 * sandbox's test page outcome.
 */
export function paymentHandlers(get: () => Promise<Services> = services, log: WebhookLog = (line) => console.warn(line)) {
  const endpoint = endpoints({ authenticate: processAuthenticate });
  return {
    webhook: endpoint(
      {
        access: 'signature',
        body: rawBody(BODY_LIMITS.webhook),
        doc: {
          id: 'stripeWebhook',
          summary: 'Stripe: a payment event',
          description:
            'Checked with `Stripe-Signature` over the raw body (the sandbox signs its events the same way). A replayed event changes nothing.',
          responses: {
            200: jsonResponse('Received, and what the engine did with it.', z.object({ received: z.literal(true), outcome: z.string() })),
          },
        },
      },
      async ({ request, body: raw }) => {
        const s = await get();
        const event = await readEvent(s, raw, request.headers.get('stripe-signature'), log);
        const { outcome } = await s.engine.receivePaymentEvent(event);
        return json({ received: true, outcome });
      },
    ),

    /** POST (form) from the sandbox test page: `outcome=paid|failed`, `postalCode=pass|fail|unavailable|unchecked`. */
    sandboxOutcome: endpoint(
      { access: 'public', body: formBody(), params: tokenParams, doc: 'outside-the-api' },
      async ({ body: form, params: { token } }) => {
        const s = await get();
        const sandbox = s.providers.sandbox.payments;
        if (!sandbox) throw new AppError('not_found', 'the sandbox payment page is off: payments go through Stripe');
        const payment = await paymentForToken(s, token);
        // A person posts this form: a dead link answers with the page that says why.
        if (!payment) return servePage(NO_SUCH_LINK);
        const closed = closedPageOf(payment, s.clock());
        if (closed) return servePage(closed);
        const outcome = form.get('outcome');
        if (outcome !== 'paid' && outcome !== 'failed')
          throw new AppError('validation_failed', 'outcome: must be paid or failed', { path: 'outcome' });
        const postalCode = form.get('postalCode') ?? 'pass';
        if (!CHECKS.has(postalCode))
          throw new AppError('validation_failed', 'postalCode: must be pass, fail, unavailable or unchecked', { path: 'postalCode' });
        const subject = {
          providerId: payment.providerSessionId!,
          runId: payment.runId,
          effectId: payment.effectId,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
        };
        const signed =
          outcome === 'paid'
            ? sandbox.completeSandboxPayment(subject, { postalCode: postalCode as 'pass', cvc: 'pass' })
            : sandbox.failSandboxPayment(subject, 'declined on the sandbox payment page');
        // The same path as a real webhook: signature, parsing, the engine's inbox.
        await s.engine.receivePaymentEvent(await readEvent(s, signed.rawBody, signed.signature, log));
        return new Response(null, { status: 303, headers: { location: `/pay/${token}` } });
      },
    ),

    /**
     * GET `/pay/<token>`, the link a payment text carries: a live Stripe link
     * goes on to Checkout; a live sandbox link shows the test page; an unknown
     * token is a 404; a paid, failed, expired or replaced link a 410.
     */
    payPage: endpoint({ access: 'public', params: tokenParams, doc: 'outside-the-api' }, async ({ params: { token } }) => {
      const s = await get();
      const payment = await paymentForToken(s, token);
      if (!payment) return servePage(NO_SUCH_LINK);
      const closed = closedPageOf(payment, s.clock());
      if (closed) return servePage(closed);
      if (payment.provider === 'stripe' && payment.checkoutUrl)
        return new Response(null, { status: 303, headers: { location: payment.checkoutUrl, 'cache-control': 'no-store' } });
      const view: PayPageView = {
        kind: 'sandbox',
        token,
        amount: formatMinorUnits(payment.amountMinor, payment.currency),
        description: payment.description,
        expiresAt: payment.expiresAt,
      };
      return servePage({ status: 200, view });
    }),
  };
}

export const handlers = paymentHandlers();
