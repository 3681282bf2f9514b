import { handlers } from '@/app/api/versions/routes';

export const dynamic = 'force-dynamic';

/** POST `{ decision, comment?, acknowledgedWarnings }`: approves or rejects a submitted version. */
export const POST = handlers.review;
