import { handlers } from './webhook-endpoint-handlers';

export const dynamic = 'force-dynamic';

/** GET: outbound webhook endpoints with their delivery counts. */
export const GET = handlers.list;
/** POST `{ url, eventTypes, description?, includePhone? }`: registers one; the signing secret is shown in this answer only. */
export const POST = handlers.create;
