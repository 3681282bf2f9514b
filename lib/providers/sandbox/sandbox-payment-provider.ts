import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cardCheckFailure } from '@/lib/providers/card-checks';
import { ProviderError, WebhookPayloadError, WebhookSignatureError } from '@/lib/providers/errors';
import { newPaymentToken } from '@/lib/providers/payment-token';
import type {
  CardChecks,
  PaymentEvent,
  PaymentLink,
  PaymentLinkRequest,
  PaymentProvider,
  Refund,
  RefundRequest,
} from '@/lib/providers/payments';
import { assertPayableAmount } from '@/lib/providers/payments';
import { signSandboxPayload, verifySandboxSignature } from './sandbox-signature';

export interface SandboxPaymentOptions {
  /** The local secret sandbox payment events are signed with. */
  secret: string;
  /** Public base URL without a trailing slash: links are `${publicUrl}/pay/<token>`. */
  publicUrl: string;
  clock?: () => Date;
}

/** What the local test payment page knows about the payment it completes (from the payment row found by the token's hash). */
export interface SandboxPaymentSubject {
  providerId: string;
  runId: string;
  effectId: string;
  amountMinor: number;
  currency: string;
}

/** A signed sandbox payment event: post `rawBody` with `signature` to the payment webhook path. */
export interface SignedPaymentEvent {
  rawBody: string;
  signature: string;
}

const check = z.enum(['pass', 'fail', 'unavailable', 'unchecked']);
const subject = {
  providerId: z.string().regex(/^sbpay_[0-9a-f]{24}$/),
  runId: z.string().min(1),
  effectId: z.string().min(1),
  amountMinor: z.number().int().positive(),
  currency: z.string().regex(/^[a-z]{3}$/),
};
const sandboxEvent = z.object({
  id: z.string().regex(/^sbevt_[0-9a-f]{24}$/),
  created: z.number().int(),
  data: z.discriminatedUnion('type', [
    z.object({ type: z.literal('payment.succeeded'), ...subject, cardChecks: z.object({ postalCode: check, cvc: check }) }),
    z.object({ type: z.literal('payment.failed'), ...subject, reason: z.string().min(1) }),
    z.object({ type: z.literal('payment.expired'), ...subject }),
  ]),
});
type SandboxEventData = z.infer<typeof sandboxEvent>['data'];

/**
 * Payments without a provider: the link is Optline's own local test page
 * (`/pay/<token>`), which completes or fails the payment without any card
 * data. The page builds its outcome with `completeSandboxPayment` /
 * `failSandboxPayment`, signed with the local secret, and the webhook route
 * reads it with `parseEvent` through the same verify-then-read path as
 * Stripe's.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox';
  private readonly secret: string;
  private readonly publicUrl: string;
  private readonly clock: () => Date;
  // The same effect returns the same link within this process (a database-backed engine stores the link anyway).
  private readonly links = new Map<string, PaymentLink>();

  constructor(options: SandboxPaymentOptions) {
    this.secret = options.secret;
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? (() => new Date());
  }

  async createPaymentLink(req: PaymentLinkRequest): Promise<PaymentLink> {
    assertPayableAmount('sandbox', req.amountMinor);
    const existing = this.links.get(req.effectId);
    if (existing) return { ...existing };
    const token = newPaymentToken();
    const link: PaymentLink = {
      providerId: sandboxPaymentId(req.effectId),
      url: `${this.publicUrl}/pay/${token}`,
      expiresAt: req.expiresAt,
      token,
    };
    this.links.set(req.effectId, link);
    return { ...link };
  }

  /** No money moved on the test page, so there is none to give back: the refund is an id (one per key). */
  async refundPayment(req: RefundRequest): Promise<Refund> {
    if (!/^sbpay_[0-9a-f]{24}$/.test(req.providerId)) {
      throw new ProviderError({
        provider: 'sandbox',
        kind: 'rejected',
        outcomeUnknown: false,
        message: `${req.providerId} is not a sandbox payment`,
      });
    }
    return { refundId: `sbref_${createHash('sha256').update(req.idempotencyKey, 'utf8').digest('hex').slice(0, 24)}` };
  }

  /** The signed event of a successful payment on the local test page; card checks default to both passing. */
  completeSandboxPayment(payment: SandboxPaymentSubject, cardChecks: CardChecks = { postalCode: 'pass', cvc: 'pass' }): SignedPaymentEvent {
    return this.signEvent({ type: 'payment.succeeded', ...payment, currency: payment.currency.toLowerCase(), cardChecks });
  }

  /** The signed event of a payment refused on the local test page. */
  failSandboxPayment(payment: SandboxPaymentSubject, reason = 'declined on the sandbox payment page'): SignedPaymentEvent {
    return this.signEvent({ type: 'payment.failed', ...payment, currency: payment.currency.toLowerCase(), reason });
  }

  /** The signed event of a sandbox payment page that expired unpaid. */
  expireSandboxPayment(payment: SandboxPaymentSubject): SignedPaymentEvent {
    return this.signEvent({ type: 'payment.expired', ...payment, currency: payment.currency.toLowerCase() });
  }

  async parseEvent(rawBody: string, signature: string | null, now: Date = this.clock()): Promise<PaymentEvent> {
    if (!signature) throw new WebhookSignatureError('sandbox', 'no signature header');
    if (!verifySandboxSignature(this.secret, rawBody, signature, now)) {
      throw new WebhookSignatureError('sandbox', 'signature does not match the body, or is older than 5 minutes');
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      throw new WebhookPayloadError('sandbox', 'body is not JSON');
    }
    const parsed = sandboxEvent.safeParse(json);
    if (!parsed.success)
      throw new WebhookPayloadError('sandbox', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { id, data } = parsed.data;
    const base = {
      eventId: id,
      providerId: data.providerId,
      runId: data.runId,
      effectId: data.effectId,
      amountMinor: data.amountMinor,
      currency: data.currency,
    };
    switch (data.type) {
      case 'payment.succeeded': {
        const failure = cardCheckFailure(data.cardChecks);
        if (failure) return { ...base, cardChecks: data.cardChecks, type: 'failed', reason: failure, final: true, captured: true };
        return { ...base, cardChecks: data.cardChecks, type: 'paid' };
      }
      case 'payment.failed':
        return { ...base, type: 'failed', reason: data.reason, final: true, captured: false };
      case 'payment.expired':
        return { ...base, type: 'expired', final: true };
      default: {
        const unreachable: never = data;
        return unreachable;
      }
    }
  }

  private signEvent(data: SandboxEventData): SignedPaymentEvent {
    const now = this.clock();
    // One outcome per page: a double-submitted form yields the same event id, and the inbox keeps one.
    const id = `sbevt_${createHash('sha256').update(`${data.providerId}:${data.type}`, 'utf8').digest('hex').slice(0, 24)}`;
    const rawBody = JSON.stringify({ id, created: Math.floor(now.getTime() / 1000), data });
    return { rawBody, signature: signSandboxPayload(this.secret, rawBody, now) };
  }
}

/** The sandbox payment page id of an effect: `sbpay_` + 24 hex digits of SHA-256(effect id). */
export function sandboxPaymentId(effectId: string): string {
  return `sbpay_${createHash('sha256').update(effectId, 'utf8').digest('hex').slice(0, 24)}`;
}
