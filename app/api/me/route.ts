import { handlers } from '../account-handlers';

export const dynamic = 'force-dynamic';

/** GET: who is signed in, their role and permissions. */
export const GET = handlers.me;
