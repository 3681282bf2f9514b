import { handlers } from '@/app/api/versions/routes';

export const dynamic = 'force-dynamic';

/** GET: the flow's versions, newest first. */
export const GET = handlers.list;
/** POST: freezes the draft as an immutable version submitted for review (reuses a version with the same content). */
export const POST = handlers.submit;
