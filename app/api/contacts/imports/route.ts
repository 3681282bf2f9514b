import { authenticate } from '@/lib/auth/request-actor';
import { segmentHandlers } from '@/app/api/segments/segment-handlers';

export const dynamic = 'force-dynamic';

/** GET: the latest CSV imports. */
export const GET = segmentHandlers({ authenticate }).imports;
