import { authenticate } from '@/lib/auth/request-actor';
import { runListHandlers } from '@/app/api/runs/list-handlers';

export const dynamic = 'force-dynamic';

/** GET: the run inspector's data (header, timeline, path, whether the caller may cancel). */
export const GET = runListHandlers({ authenticate }).timeline;
