import { handlers } from '../../account-handlers';

export const dynamic = 'force-dynamic';

/** DELETE: revokes one of your tokens. */
export const DELETE = handlers.revokeToken;
