import { handlers } from '@/app/api/webhook-endpoints/webhook-endpoint-handlers';

export const dynamic = 'force-dynamic';

/** POST: a new signing secret, shown in this answer only. */
export const POST = handlers.rotateSecret;
