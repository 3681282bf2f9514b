import { handlers } from '@/app/api/flows/handlers';

export const dynamic = 'force-dynamic';

/** GET: the draft as the exported file (what `optline validate` reads). */
export const GET = handlers.exportFlow;
