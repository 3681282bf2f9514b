import { handlers } from '@/app/api/settings-handlers';

export const dynamic = 'force-dynamic';

/** GET: the audit log, newest first, filtered. */
export const GET = handlers.listAudit;
