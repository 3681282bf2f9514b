import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** GET: who is signed in, their role and permissions. */
export const GET = handlers.me;
