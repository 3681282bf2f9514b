import { handlers } from '@/app/api/flows/handlers';

export const dynamic = 'force-dynamic';

/** POST: a copy of the flow's draft under a new id. */
export const POST = handlers.duplicate;
