import { handlers } from '@/app/api/webhooks/messaging-handlers';

export const dynamic = 'force-dynamic';

/** POST (Twilio, form-encoded, signed): a delivery-status callback; each send names this URL with its effect id. */
export const POST = handlers.status;
