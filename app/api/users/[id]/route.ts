import { handlers } from '@/app/api/account-handlers';

export const dynamic = 'force-dynamic';

/** PATCH `{ role }` or `{ disabled }`. */
export const PATCH = handlers.updateUser;
