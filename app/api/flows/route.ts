import { handlers } from './handlers';

export const dynamic = 'force-dynamic';

/** GET: the flows, most recently edited first. */
export const GET = handlers.list;
/** POST `{ name, brand? }` (blank) or `{ template }`: a new flow. */
export const POST = handlers.create;
