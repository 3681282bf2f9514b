import { handlers } from '@/app/api/webhooks/payment-handlers';

export const dynamic = 'force-dynamic';

/** POST (form) from the sandbox test page: completes or fails the payment, then shows the page again. */
export const POST = handlers.sandboxOutcome;
