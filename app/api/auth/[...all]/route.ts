import { authenticate, authServices } from '@/lib/auth/request-actor';
import { BODY_LIMITS, endpoints, rawBody } from '@/lib/http/endpoint';

export const dynamic = 'force-dynamic';

const endpoint = endpoints({ authenticate });

/**
 * better-auth's endpoints: sign-in, sign-out, sessions, two-factor enrolment
 * and codes. On the one wrapper like every route: a write comes from our
 * origin, its body is a small form or JSON (read within the limit, then
 * handed on), errors are answered the same way.
 */
export const GET = endpoint({ access: 'public', doc: 'outside-the-api' }, async ({ request }) =>
  (await authServices()).auth.handler(request),
);
export const POST = endpoint({ access: 'public', body: rawBody(BODY_LIMITS.form), doc: 'outside-the-api' }, async ({ request, body }) =>
  (await authServices()).auth.handler(new Request(request, { body })),
);
