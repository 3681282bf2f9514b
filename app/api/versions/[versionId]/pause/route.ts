import { handlers } from '@/app/api/versions/routes';

export const dynamic = 'force-dynamic';

/** POST: pauses the active version (runs under way finish on it). */
export const POST = handlers.pause;
