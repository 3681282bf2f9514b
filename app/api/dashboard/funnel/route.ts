import { authenticate } from '@/lib/auth/request-actor';
import { dashboardHandlers } from '@/app/api/dashboard/handlers';

export const dynamic = 'force-dynamic';

/** GET `?from=YYYY-MM-DD&to=YYYY-MM-DD`: per flow, the funnel of the runs started in those days (UTC). */
export const GET = dashboardHandlers({ authenticate }).funnel;
