import { authenticate } from '@/lib/auth/request-actor';
import { segmentHandlers } from '@/app/api/segments/segment-handlers';

export const dynamic = 'force-dynamic';

/** POST `{ contactIds, tag }`: adds a tag to the contacts picked. */
export const POST = segmentHandlers({ authenticate }).tag;
