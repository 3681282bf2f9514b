import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** DELETE: revokes one of your tokens. */
export const DELETE = handlers.revokeToken;
