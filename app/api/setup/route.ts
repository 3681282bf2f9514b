import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** GET: `{ needsOwner }`. */
export const GET = handlers.setupStatus;
/** POST `{ name, email, password, businessName }`: the owner account and the business's name, only while no account exists. */
export const POST = handlers.setup;
