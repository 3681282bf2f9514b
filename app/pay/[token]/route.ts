import { handlers } from '@/app/api/webhooks/payment-handlers';

export const dynamic = 'force-dynamic';

/** GET: where a payment text's link leads (Stripe Checkout, or the sandbox's test page); a dead link says why with a 404 or 410. */
export const GET = handlers.payPage;
