/**
 * The payment port (ARCHITECTURE.md, "Providers"): hosted payment pages only,
 * card data never reaches Optline. Adapters: `stripe/`, `sandbox/`.
 */
import { ProviderError } from './errors';

export interface PaymentLinkRequest {
  /** The effect id (`runId:step:index`): the idempotency key of this link. */
  effectId: string;
  runId: string;
  /** In the currency's minor unit (cents; yen for JPY): see `toMinorUnits`. */
  amountMinor: number;
  /** ISO 4217, any case. */
  currency: string;
  /** Shown on the hosted page. */
  description: string;
  successUrl: string;
  cancelUrl: string;
  /** When Optline's link expires; the provider may cap its own page's lifetime (see the adapter). */
  expiresAt: Date;
  /**
   * When the effect was created: stable across retries of the effect. Providers
   * derive time-dependent parameters from it, so a retry sends the same request
   * (Stripe refuses a reused idempotency key with different parameters).
   * Defaults to now.
   */
  issuedAt?: Date;
  /** Extra string metadata stored with the payment; `runId` and `effectId` are always added. */
  metadata?: Record<string, string>;
}

/** Throws the port's `rejected` error unless the amount is a positive whole number of minor units (each adapter checks before calling out). */
export function assertPayableAmount(provider: string, amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new ProviderError({
      provider,
      kind: 'rejected',
      outcomeUnknown: false,
      message: `amount ${amountMinor} is not a positive integer of minor units`,
    });
  }
}

export interface PaymentLink {
  /** The provider's id for this payment page (Stripe Checkout Session `cs_…`). */
  providerId: string;
  url: string;
  /** When the provider's page stops accepting payment (may be earlier than requested). */
  expiresAt: Date;
  /**
   * The bearer token inside `url`, when the page is Optline's own (the
   * sandbox's `/pay/<token>`): store only `hashPaymentToken(token)`.
   */
  token?: string;
}

/** The outcome of one card verification check, as card networks report it. */
export type CardCheckResult = 'pass' | 'fail' | 'unavailable' | 'unchecked';

export interface CardChecks {
  postalCode: CardCheckResult;
  cvc: CardCheckResult;
}

interface PaymentEventBase {
  /** The provider's event id: the inbox idempotency key. */
  eventId: string;
  /** The payment page the event is about (Stripe Checkout Session id), matching `PaymentLink.providerId`. */
  providerId: string;
  runId?: string;
  effectId?: string;
  amountMinor?: number;
  /** Lower-case ISO 4217. */
  currency?: string;
  /** Card checks of the charge, when a card was charged. `unavailable`/`unchecked` are to be recorded on the run. */
  cardChecks?: CardChecks;
}

export type PaymentEvent =
  | (PaymentEventBase & { type: 'paid' })
  | (PaymentEventBase & {
      type: 'failed';
      /** Why, in words an operator can read (`postal code check failed`, `card_declined: insufficient_funds`). */
      reason: string;
      /**
       * False when the customer can still pay on the same hosted page (a card
       * declined inside Checkout: they may try another card until the page
       * expires). The engine records it and keeps waiting for `paid` or
       * `expired`; true ends the payment.
       */
      final: boolean;
      /**
       * True when money was taken although the payment failed Optline's checks
       * (a card check came back `fail` on a paid session): the engine must
       * refund it.
       */
      captured: boolean;
    })
  | (PaymentEventBase & {
      type: 'expired';
      /**
       * False when only the provider's page expired while Optline's link is
       * still valid (the page's lifetime was capped, see the adapter): the
       * engine creates a fresh page when the link is opened again. True when
       * the link itself is over.
       */
      final: boolean;
    })
  | { type: 'ignored'; eventId: string; /** The provider's event type, for the log. */ providerType: string; reason: string };

/** Money to give back in full: a payment that failed Optline's card checks after it was captured, or one made on a dead link. */
export interface RefundRequest {
  /** The payment page that was paid (`PaymentLink.providerId`, the `providerId` of its event). */
  providerId: string;
  /** The same key returns the same refund: a retried refund never refunds twice. */
  idempotencyKey: string;
  /** Why, in words an operator can read; kept with the refund at the provider. */
  reason: string;
}

export interface Refund {
  /** The provider's id for the refund (Stripe `re_…`). */
  refundId: string;
}

export interface PaymentProvider {
  readonly name: string;
  /** Creates a hosted payment page; the same `effectId` returns the same page. Throws ProviderError. */
  createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink>;
  /** Refunds everything a paid page took. Throws ProviderError (retry when `retryable`). */
  refundPayment(req: RefundRequest): Promise<Refund>;
  /**
   * Verifies a payment webhook's signature on its raw body, then reads it.
   * Throws WebhookSignatureError (→ 403, store nothing) before looking at the
   * content; may call the provider to complete the picture (card checks), and
   * then throws ProviderError (→ 5xx, the provider retries the webhook).
   */
  parseEvent(rawBody: string, signature: string | null, now?: Date): Promise<PaymentEvent>;
}
