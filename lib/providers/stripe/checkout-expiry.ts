import { ProviderError } from '@/lib/providers/errors';

const MINUTE = 60;
// Stripe accepts a Checkout Session expires_at between 30 minutes and 24 hours
// after creation (https://docs.stripe.com/api/checkout/sessions/create#create_checkout_session-expires_at);
// 5 minutes of margin on each side absorb clock skew between us and Stripe.
export const CHECKOUT_MIN_LIFETIME_S = 35 * MINUTE;
export const CHECKOUT_MAX_LIFETIME_S = 24 * 60 * MINUTE - 5 * MINUTE;

/**
 * The Checkout Session expiry (unix seconds) for a link expiring at
 * `linkExpiresAt`: the link's own expiry clamped into Stripe's window
 * [35 min, 23 h 55 min] after `issuedAt`.
 *
 * The window is anchored at `issuedAt` (when the effect was created), not at
 * the clock, so every retry of one effect sends the same expires_at: Stripe
 * answers a reused idempotency key with different parameters with an
 * idempotency_error, which would turn a harmless retry after a 5xx into a
 * failure. Only a retry so late that the anchored value would be under 35
 * minutes away re-anchors at `now` (by then Stripe's 24-hour idempotency
 * window is nearly over).
 *
 * A link shorter than 35 minutes gets a session that outlives it slightly
 * (the engine refuses payment events for an expired link); a link longer than
 * the cap outlives its session, and the engine creates a fresh session when
 * the customer opens the link after that (the `expired` event says `final:
 * false`).
 */
export function checkoutExpiresAt(linkExpiresAt: Date, issuedAt: Date, now: Date): number {
  const link = Math.floor(linkExpiresAt.getTime() / 1000);
  const nowS = Math.floor(now.getTime() / 1000);
  if (link <= nowS) {
    throw new ProviderError({
      provider: 'stripe',
      kind: 'rejected',
      outcomeUnknown: false,
      message: `payment link expired at ${linkExpiresAt.toISOString()}, before its page was created`,
    });
  }
  const anchored = clampInto(link, Math.min(Math.floor(issuedAt.getTime() / 1000), nowS));
  return anchored >= nowS + CHECKOUT_MIN_LIFETIME_S ? anchored : clampInto(link, nowS);
}

function clampInto(link: number, from: number): number {
  return Math.min(Math.max(link, from + CHECKOUT_MIN_LIFETIME_S), from + CHECKOUT_MAX_LIFETIME_S);
}
