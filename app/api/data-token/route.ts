import { authenticate } from '@/lib/auth/request-actor';
import { dataTokenHandlers } from './data-token-handlers';

export const dynamic = 'force-dynamic';

/** POST: a JWT for the Data API (/rest/v1), valid for minutes. */
export const POST = dataTokenHandlers({ authenticate }).issue;
