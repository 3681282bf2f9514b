import { handlers } from '../settings-handlers';

export const dynamic = 'force-dynamic';

/** GET: the audit log, newest first, filtered. */
export const GET = handlers.listAudit;
