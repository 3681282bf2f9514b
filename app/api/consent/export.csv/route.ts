import { authenticate } from '@/lib/auth/request-actor';
import { consentHandlers } from '@/app/api/consent/consent-handlers';

export const dynamic = 'force-dynamic';

/** GET `?contactId=`: the consent ledger (or one contact's events) as CSV for an audit. */
export const GET = consentHandlers({ authenticate }).exportCsv;
