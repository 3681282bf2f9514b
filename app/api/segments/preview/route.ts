import { authenticate } from '@/lib/auth/request-actor';
import { segmentHandlers } from '@/app/api/segments/segment-handlers';

export const dynamic = 'force-dynamic';

/** POST `{ filter }`: the live count and a sample of a filter. */
export const POST = segmentHandlers({ authenticate }).preview;
