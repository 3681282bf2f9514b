import { handlers } from '@/app/api/flows/handlers';

export const dynamic = 'force-dynamic';

/** POST `{ text }` or `{ document }`: imports a flow; an invalid one saves nothing and lists every problem. */
export const POST = handlers.importFlow;
