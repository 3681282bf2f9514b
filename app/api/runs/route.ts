import { authenticate } from '@/lib/auth/request-actor';
import { handlers } from '@/app/api/runtime-handlers';
import { runListHandlers } from './list-handlers';

export const dynamic = 'force-dynamic';

/** GET `?status=&flow=&contact=&from=&to=&cursor=`: runs newest first, a page at a time. */
export const GET = runListHandlers({ authenticate }).list;

/** POST `{ flowId, contactId, vars? }`: starts a run on the flow's active version. */
export const POST = handlers.startRun;
