import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** GET: your API tokens (never their secrets). */
export const GET = handlers.listTokens;
/** POST `{ name, scopes }`: a new token; the secret is shown in this answer only. */
export const POST = handlers.createToken;
