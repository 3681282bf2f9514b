import { handlers } from '@/app/api/webhooks/payment-handlers';

export const dynamic = 'force-dynamic';

/** POST (Stripe, raw JSON, `Stripe-Signature`): payment events. */
export const POST = handlers.webhook;
