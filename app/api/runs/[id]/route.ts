import { handlers } from '../../runtime-handlers';

export const dynamic = 'force-dynamic';

/** GET: the run's state and timeline. */
export const GET = handlers.getRun;
