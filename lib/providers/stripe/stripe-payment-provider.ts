import Stripe from 'stripe';
import { cardCheckFailure } from '@/lib/providers/card-checks';
import { ProviderError, WebhookPayloadError, WebhookSignatureError } from '@/lib/providers/errors';
import type {
  CardCheckResult,
  CardChecks,
  PaymentEvent,
  PaymentLink,
  PaymentLinkRequest,
  PaymentProvider,
  Refund,
  RefundRequest,
} from '@/lib/providers/payments';
import { assertPayableAmount } from '@/lib/providers/payments';
import { checkoutExpiresAt } from './checkout-expiry';
import { toProviderError } from './stripe-errors';

export interface StripePaymentOptions {
  /** Created at the edge: `new Stripe(secretKey)`. */
  client: Stripe;
  /** whsec_…: the signing secret of the webhook endpoint. */
  webhookSecret: string;
  /** The clock used to fit the session expiry into Stripe's window and to check webhook timestamps. */
  clock?: () => Date;
}

/** Metadata keys Optline puts on every Checkout Session and its PaymentIntent. */
const META = { runId: 'runId', effectId: 'effectId', linkExpiresAt: 'linkExpiresAt' } as const;

/**
 * Stripe adapter of the payment port: a hosted Checkout Session per payment
 * link (card data stays on Stripe's page), webhooks verified with
 * `stripe.webhooks.constructEvent` on the raw body.
 *
 * Idempotency: the effect id is the request's Idempotency-Key, so a retried
 * create (by the SDK's own network retries or by the engine) returns the same
 * session for 24 hours instead of creating a second one.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  private readonly stripe: Stripe;
  private readonly webhookSecret: string;
  private readonly clock: () => Date;

  constructor(options: StripePaymentOptions) {
    this.stripe = options.client;
    this.webhookSecret = options.webhookSecret;
    this.clock = options.clock ?? (() => new Date());
  }

  async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink> {
    assertPayableAmount('stripe', req.amountMinor);
    const now = this.clock();
    const ours = { [META.runId]: req.runId, [META.effectId]: req.effectId, [META.linkExpiresAt]: req.expiresAt.toISOString() };
    let session: Stripe.Checkout.Session;
    try {
      session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: req.currency.toLowerCase(), unit_amount: req.amountMinor, product_data: { name: req.description } },
            },
          ],
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
          expires_at: checkoutExpiresAt(req.expiresAt, req.issuedAt ?? now, now),
          client_reference_id: req.runId,
          metadata: { ...req.metadata, ...ours },
          // Session metadata is not copied to the PaymentIntent: payment_intent.* events need their own.
          payment_intent_data: { metadata: ours },
        },
        { idempotencyKey: req.effectId },
      );
    } catch (error) {
      throw toProviderError(error, `creating the Checkout Session of effect ${req.effectId}`);
    }
    if (!session.url) {
      throw new ProviderError({
        provider: 'stripe',
        kind: 'rejected',
        outcomeUnknown: false,
        message: `Checkout Session ${session.id} has no hosted page URL`,
      });
    }
    return { providerId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
  }

  /**
   * Refunds the PaymentIntent of a paid Checkout Session in full, with the
   * request's key as Idempotency-Key (a retry within Stripe's 24 hours gets
   * the same refund back). Stripe refuses a second refund beyond the amount
   * (`charge_already_refunded`): that is a refund already made, not an error.
   */
  async refundPayment(req: RefundRequest): Promise<Refund> {
    let intent: string | undefined;
    try {
      const session = await this.stripe.checkout.sessions.retrieve(req.providerId);
      intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
    } catch (error) {
      throw toProviderError(error, `reading Checkout Session ${req.providerId} to refund it`);
    }
    if (!intent)
      throw new ProviderError({
        provider: 'stripe',
        kind: 'rejected',
        outcomeUnknown: false,
        message: `Checkout Session ${req.providerId} has no payment to refund`,
      });
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: intent, metadata: { reason: req.reason.slice(0, 500) } },
        { idempotencyKey: req.idempotencyKey },
      );
      return { refundId: refund.id };
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError && error.code === 'charge_already_refunded') {
        const refunds = await this.stripe.refunds.list({ payment_intent: intent, limit: 1 }).catch((e: unknown) => {
          throw toProviderError(e, `listing the refunds of ${intent}`);
        });
        if (refunds.data[0]) return { refundId: refunds.data[0].id };
      }
      throw toProviderError(error, `refunding Checkout Session ${req.providerId}`);
    }
  }

  async parseEvent(rawBody: string, signature: string | null, now: Date = this.clock()): Promise<PaymentEvent> {
    if (!signature) throw new WebhookSignatureError('stripe', 'no Stripe-Signature header');
    let event: Stripe.Event;
    try {
      // Default tolerance: 300 s between the signed timestamp and `now`.
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret, undefined, undefined, now.getTime());
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError)
        throw new WebhookSignatureError('stripe', error.message, { cause: error });
      throw new WebhookPayloadError('stripe', `signed body is not a Stripe event: ${String(error)}`);
    }
    return this.toPaymentEvent(event);
  }

  private async toPaymentEvent(event: Stripe.Event): Promise<PaymentEvent> {
    const ignored = (reason: string): PaymentEvent => ({ type: 'ignored', eventId: event.id, providerType: event.type, reason });
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const session = event.data.object;
        if (!isOurs(session.metadata)) return ignored('not a Checkout Session created by Optline');
        if (session.payment_status !== 'paid')
          return ignored(`payment status is ${session.payment_status}: waiting for the asynchronous payment`);
        const base = { eventId: event.id, ...sessionFields(session) };
        const cardChecks = await this.cardChecksOf(session.payment_intent);
        const failure = cardChecks && cardCheckFailure(cardChecks);
        if (cardChecks && failure) return { ...base, cardChecks, type: 'failed', reason: failure, final: true, captured: true };
        return { ...base, ...(cardChecks ? { cardChecks } : {}), type: 'paid' };
      }
      case 'checkout.session.async_payment_failed': {
        const session = event.data.object;
        if (!isOurs(session.metadata)) return ignored('not a Checkout Session created by Optline');
        return {
          eventId: event.id,
          ...sessionFields(session),
          type: 'failed',
          reason: 'the asynchronous payment failed',
          final: true,
          captured: false,
        };
      }
      case 'checkout.session.expired': {
        const session = event.data.object;
        if (!isOurs(session.metadata)) return ignored('not a Checkout Session created by Optline');
        const linkExpiresAt = Date.parse(session.metadata[META.linkExpiresAt] ?? '');
        // The session may have been capped below the link's lifetime: then only the page expired, not the link.
        const final = !Number.isFinite(linkExpiresAt) || session.expires_at * 1000 >= linkExpiresAt;
        return { eventId: event.id, ...sessionFields(session), type: 'expired', final };
      }
      case 'payment_intent.payment_failed': {
        const intent = event.data.object;
        if (!isOurs(intent.metadata)) return ignored('not a PaymentIntent created by Optline');
        const sessionId = await this.sessionOf(intent.id);
        if (!sessionId) return ignored(`PaymentIntent ${intent.id} belongs to no Checkout Session`);
        const error = intent.last_payment_error;
        const code = [error?.code, error?.decline_code].filter(Boolean).join(': ');
        return {
          eventId: event.id,
          providerId: sessionId,
          runId: intent.metadata[META.runId],
          effectId: intent.metadata[META.effectId],
          amountMinor: intent.amount,
          currency: intent.currency,
          type: 'failed',
          reason: code ? `${code}${error?.message ? ` (${error.message})` : ''}` : (error?.message ?? 'payment attempt failed'),
          // Inside Checkout the customer may try another card until the session expires.
          final: false,
          captured: false,
        };
      }
      default:
        return ignored('event type not used by Optline');
    }
  }

  /** The card checks of the PaymentIntent's latest charge, or undefined when it was not paid by card. */
  private async cardChecksOf(paymentIntent: string | Stripe.PaymentIntent | null): Promise<CardChecks | undefined> {
    if (!paymentIntent) return undefined;
    let intent: Stripe.PaymentIntent;
    try {
      intent = await this.stripe.paymentIntents.retrieve(typeof paymentIntent === 'string' ? paymentIntent : paymentIntent.id, {
        expand: ['latest_charge'],
      });
    } catch (error) {
      throw toProviderError(error, 'retrieving the card checks of a paid Checkout Session');
    }
    const charge = intent.latest_charge;
    if (!charge || typeof charge === 'string') return undefined;
    const card = charge.payment_method_details?.card;
    if (!card) return undefined;
    return { postalCode: toCheck(card.checks?.address_postal_code_check), cvc: toCheck(card.checks?.cvc_check) };
  }

  private async sessionOf(paymentIntentId: string): Promise<string | undefined> {
    try {
      const sessions = await this.stripe.checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
      return sessions.data[0]?.id;
    } catch (error) {
      throw toProviderError(error, `finding the Checkout Session of PaymentIntent ${paymentIntentId}`);
    }
  }
}

function isOurs(metadata: Stripe.Metadata | null): metadata is Stripe.Metadata {
  return typeof metadata?.[META.effectId] === 'string' && typeof metadata[META.runId] === 'string';
}

function sessionFields(session: Stripe.Checkout.Session) {
  return {
    providerId: session.id,
    runId: session.metadata?.[META.runId],
    effectId: session.metadata?.[META.effectId],
    ...(session.amount_total !== null ? { amountMinor: session.amount_total } : {}),
    ...(session.currency ? { currency: session.currency } : {}),
  };
}

function toCheck(value: string | null | undefined): CardCheckResult {
  return value === 'pass' || value === 'fail' || value === 'unavailable' ? value : 'unchecked';
}
