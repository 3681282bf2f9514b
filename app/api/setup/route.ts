import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** GET: `{ needsOwner }`. */
export const GET = handlers.setupStatus;
/** POST `{ name, email, password }`: the owner account, only while no account exists. */
export const POST = handlers.setup;
