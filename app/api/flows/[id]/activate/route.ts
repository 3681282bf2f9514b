import { handlers } from '../../handlers';

export const dynamic = 'force-dynamic';

/** POST: freezes the draft as a version and makes it the active one (refused with any compliance error). */
export const POST = handlers.activate;
