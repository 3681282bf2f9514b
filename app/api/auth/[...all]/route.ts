import { authServices } from '../../../../lib/auth/request-actor';

export const dynamic = 'force-dynamic';

/** better-auth's endpoints: sign-in, sign-out, sessions, two-factor enrolment and codes. */
const handle = async (request: Request): Promise<Response> => (await authServices()).auth.handler(request);
export const GET = handle;
export const POST = handle;
