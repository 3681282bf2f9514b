import { handlers } from '@/app/api/versions/routes';

export const dynamic = 'force-dynamic';

/** POST: activates an approved version whose approval still holds; the previous active version is paused. */
export const POST = handlers.activate;
