import { authenticate } from '@/lib/auth/request-actor';
import { segmentHandlers } from '@/app/api/segments/segment-handlers';

export const dynamic = 'force-dynamic';

const segments = segmentHandlers({ authenticate });

/** GET: a segment with its live count and a sample. */
export const GET = segments.get;
/** PUT `{ name, filter }`: changes a segment. */
export const PUT = segments.update;
