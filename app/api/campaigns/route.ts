import { authenticate } from '@/lib/auth/request-actor';
import { campaignHandlers } from './campaign-handlers';

export const dynamic = 'force-dynamic';

const campaigns = campaignHandlers({ authenticate });

/** GET: campaigns, newest first. */
export const GET = campaigns.list;
/** POST `{ name, flowId, audience, schedule, variables?, pacePerSecond? }`: a draft campaign. */
export const POST = campaigns.create;
