import { authenticate } from '@/lib/auth/request-actor';
import { campaignHandlers } from '@/app/api/campaigns/campaign-handlers';

export const dynamic = 'force-dynamic';

/** GET: a campaign with its live funnel. */
export const GET = campaignHandlers({ authenticate }).get;
