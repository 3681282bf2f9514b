import { handlers } from '../../account-handlers';

export const dynamic = 'force-dynamic';

/** PATCH `{ role }` or `{ disabled }`. */
export const PATCH = handlers.updateUser;
