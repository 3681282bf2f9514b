import { authenticate } from '@/lib/auth/request-actor';
import { campaignHandlers } from '@/app/api/campaigns/campaign-handlers';

export const dynamic = 'force-dynamic';

/** POST: see campaignHandlers().cancel. */
export const POST = campaignHandlers({ authenticate }).cancel;
