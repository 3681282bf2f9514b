import { handlers } from '@/app/api/runtime-handlers';

export const dynamic = 'force-dynamic';

/** GET: the run's state and timeline. */
export const GET = handlers.getRun;
