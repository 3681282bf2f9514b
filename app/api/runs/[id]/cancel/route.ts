import { handlers } from '@/app/api/runtime-handlers';

export const dynamic = 'force-dynamic';

/** POST: ends the run at once. */
export const POST = handlers.cancelRun;
