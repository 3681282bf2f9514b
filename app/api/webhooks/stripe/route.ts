import { handlers } from '../payment-handlers';

export const dynamic = 'force-dynamic';

/** POST (Stripe, raw JSON, `Stripe-Signature`): payment events. */
export const POST = handlers.webhook;
