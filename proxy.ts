import { NextResponse, type NextRequest } from 'next/server';
import { REQUESTED_PATH_HEADER } from './lib/auth/return-path';
import { env } from './lib/env';
import { allowsInlineStyles, securityHeaders } from './lib/http/security-headers';

/**
 * Every page's security headers, with a fresh script nonce per request:
 * Next.js reads the nonce from the request's Content-Security-Policy header
 * and puts it on the scripts it writes (pages are rendered per request; the
 * root layout sees to that).
 *
 * And tells the pages which path was asked for (Next.js gives a layout no URL):
 * the console sends a signed-out visitor to sign-in with it, and back to it
 * afterwards. A header of our own is always replaced, never trusted from the client.
 */
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  const { publicUrl, nodeEnv } = env();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const security = securityHeaders({
    path: pathname,
    https: publicUrl.startsWith('https:'),
    content: { kind: 'app', nonce, dev: nodeEnv === 'development', inlineStyles: allowsInlineStyles(pathname) },
  });
  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, `${pathname}${search}`);
  headers.set('Content-Security-Policy', security['Content-Security-Policy']);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Pages: not the API, Next's own files or the icon (next.config.js gives them the fixed headers),
  // nor /pay/<token>, a route handler that writes its own (app/pay/pay-page-html.ts).
  matcher: ['/((?!api/|_next/|pay/|icon\\.svg|favicon\\.ico).*)', '/pay/done', '/pay/receipt/:id'],
};
