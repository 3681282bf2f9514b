import { authenticate } from '@/lib/auth/request-actor';
import { contactHandlers } from '@/app/api/contacts/contact-handlers';

export const dynamic = 'force-dynamic';

/** POST a CSV file (text/csv, `?file=` names it): 422 with row errors and nothing stored, or NDJSON progress of one all-or-nothing import. */
export const POST = contactHandlers({ authenticate }).importCsv;
