import { handlers } from '@/app/api/settings-handlers';

export const dynamic = 'force-dynamic';

/** GET: brand, keyword replies, paused states. */
export const GET = handlers.getSettings;
/** PATCH: changes settings (pausing a state: owner only). */
export const PATCH = handlers.updateSettings;
