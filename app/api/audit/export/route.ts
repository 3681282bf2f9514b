import { handlers } from '@/app/api/settings-handlers';

export const dynamic = 'force-dynamic';

/** GET: the audit log as CSV. */
export const GET = handlers.exportAudit;
