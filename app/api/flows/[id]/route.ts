import { handlers } from '@/app/api/flows/handlers';

export const dynamic = 'force-dynamic';

/** GET: the flow and its draft. */
export const GET = handlers.get;
/** PUT `{ draft }`: saves the draft. */
export const PUT = handlers.save;
/** PATCH `{ name }`: renames the flow. */
export const PATCH = handlers.rename;
/** DELETE: deletes a flow that never had a version. */
export const DELETE = handlers.remove;
