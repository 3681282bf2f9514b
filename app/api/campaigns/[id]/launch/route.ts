import { authenticate } from '@/lib/auth/request-actor';
import { campaignHandlers } from '@/app/api/campaigns/campaign-handlers';

export const dynamic = 'force-dynamic';

/** POST: see campaignHandlers().launch. */
export const POST = campaignHandlers({ authenticate }).launch;
