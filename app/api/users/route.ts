import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** GET: everyone who can sign in (owner, admin). */
export const GET = handlers.listUsers;
/** POST `{ name, email, password, role }`: adds a person. */
export const POST = handlers.createUser;
