import { NextResponse, type NextRequest } from 'next/server';
import { REQUESTED_PATH_HEADER } from './lib/auth/return-path';

/**
 * Tells the pages which path was asked for (Next.js gives a layout no URL):
 * the console sends a signed-out visitor to sign-in with it, and back to it
 * afterwards. A header of our own is always replaced, never trusted from the client.
 */
export function proxy(request: NextRequest): NextResponse {
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the API, the payment pages, Next's own files or the icon.
  matcher: ['/((?!api/|_next/|pay/|icon\\.svg|favicon\\.ico).*)'],
};
