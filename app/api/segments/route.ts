import { authenticate } from '@/lib/auth/request-actor';
import { segmentHandlers } from './segment-handlers';

export const dynamic = 'force-dynamic';

const segments = segmentHandlers({ authenticate });

/** GET: every segment. */
export const GET = segments.list;
/** POST `{ name, filter }`: saves a segment. */
export const POST = segments.create;
