import { handlers } from '../../routes';

export const dynamic = 'force-dynamic';

/** POST: activates an approved version whose approval still holds; the previous active version is paused. */
export const POST = handlers.activate;
