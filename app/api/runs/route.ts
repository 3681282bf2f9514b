import { handlers } from '../runtime-handlers';

export const dynamic = 'force-dynamic';

/** POST `{ flowId, contactId, vars? }`: starts a run on the flow's active version. */
export const POST = handlers.startRun;
