import { handlers } from '../../settings-handlers';

export const dynamic = 'force-dynamic';

/** GET: the audit log as CSV. */
export const GET = handlers.exportAudit;
