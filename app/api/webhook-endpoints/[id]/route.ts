import { handlers } from '@/app/api/webhook-endpoints/webhook-endpoint-handlers';

export const dynamic = 'force-dynamic';

/** GET: one outbound webhook endpoint. */
export const GET = handlers.get;
/** PATCH: changes it (`enabled: true` switches a disabled one back on). */
export const PATCH = handlers.update;
/** DELETE: removes it with its delivery log. */
export const DELETE = handlers.remove;
