import { handlers } from '@/app/api/runtime-handlers';

export const dynamic = 'force-dynamic';

/** POST `{ contactId, name, data?, key? }`: starts the flows triggered by the event and hands it to running ones. */
export const POST = handlers.event;
