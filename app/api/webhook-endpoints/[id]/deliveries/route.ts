import { handlers } from '@/app/api/webhook-endpoints/webhook-endpoint-handlers';

export const dynamic = 'force-dynamic';

/** GET `?status=&limit=`: the endpoint's delivery log. */
export const GET = handlers.deliveries;
