import { handlers } from '@/app/api/sandbox/sandbox-clock-handlers';

export const dynamic = 'force-dynamic';

/** GET: the sandbox clock (404 when it is off). */
export const GET = handlers.get;
/** PUT `{ at, zone? }`: sets the sandbox clock (owner, admin). */
export const PUT = handlers.set;
/** DELETE: back to real time (owner, admin). */
export const DELETE = handlers.reset;
