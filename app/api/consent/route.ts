import { authenticate } from '@/lib/auth/request-actor';
import { consentHandlers } from './consent-handlers';

export const dynamic = 'force-dynamic';

/** GET `?action=&purpose=&source=&from=&to=&before=`: the consent ledger, newest first. */
export const GET = consentHandlers({ authenticate }).list;
