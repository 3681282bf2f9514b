import { handlers } from '@/app/api/versions/routes';

export const dynamic = 'force-dynamic';

/** GET: the version, its analyzer report, the diff against the last approved version, the compiled machine, its reviews and whether you may decide. */
export const GET = handlers.get;
