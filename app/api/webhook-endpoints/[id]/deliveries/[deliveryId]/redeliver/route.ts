import { handlers } from '@/app/api/webhook-endpoints/webhook-endpoint-handlers';

export const dynamic = 'force-dynamic';

/** POST: sends the delivery's event again. */
export const POST = handlers.redeliver;
