import { handlers } from '@/app/api/webhooks/messaging-handlers';

export const dynamic = 'force-dynamic';

/** POST (Twilio, form-encoded, signed): an inbound text. Set as the Messaging Service's incoming-message webhook. */
export const POST = handlers.inbound;
