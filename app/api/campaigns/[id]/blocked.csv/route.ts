import { authenticate } from '@/lib/auth/request-actor';
import { campaignHandlers } from '@/app/api/campaigns/campaign-handlers';

export const dynamic = 'force-dynamic';

/** GET: the preview's blocked contacts with their reasons, as CSV. */
export const GET = campaignHandlers({ authenticate }).blockedCsv;
