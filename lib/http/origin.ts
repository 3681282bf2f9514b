import { AppError } from '@/lib/app-error';

/** Methods that change state: a browser sends them cross-site with the user's cookie unless we refuse. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request method changes state. */
export function isWrite(method: string): boolean {
  return WRITES.has(method.toUpperCase());
}

/** PUBLIC_URL's origin; for localhost or 127.0.0.1 also its twin, which a browser may use for the same server. */
export function trustedOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const twin = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (!twin) return [url.origin];
  const other = new URL(url.origin);
  other.hostname = twin;
  return [url.origin, other.origin];
}

/** The origin of a URL string, or null for one that is not a URL. */
function originOf(text: string): string | null {
  try {
    const origin = new URL(text).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Refuses (403) a state-changing request that a browser may have sent from
 * another site: it must name one of `origins` in `Origin`, else (a browser
 * that sent none, or `null` as it does for a form on a page with
 * `Referrer-Policy: no-referrer`, like the payment page) say
 * `Sec-Fetch-Site: same-origin`, else carry a `Referer` on one of them. A request with none of the three is refused too: every
 * browser sends `Origin` on writes, so only a script would omit it, and a
 * script uses an API token (a request with `Authorization` is not checked:
 * no browser attaches that header on its own). Same-site is not enough: a
 * page on another port of the same host is another origin.
 */
export function requireSameOrigin(request: Request, origins: readonly string[]): void {
  if (!isWrite(request.method) || request.headers.has('authorization')) return;
  const expected = origins.join(' or ');
  const refuse = (why: string, from?: string) =>
    new AppError(
      'forbidden',
      `cross-origin request refused: ${why}; Optline accepts changes only from ${expected} (if you opened Optline at ${from ?? 'another address'}, set PUBLIC_URL=${from ?? 'that address'} and restart it)`,
      { path: 'origin' },
    );
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== 'null') {
    if (origins.includes(origin)) return;
    throw refuse(`the request came from ${origin}`, origin);
  }
  // Sec-Fetch-* cannot be set by a page's script: the browser's own word on where the request came from.
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) {
    if (site === 'same-origin') return;
    throw refuse(`the browser says it is ${site}`);
  }
  if (origin === 'null') throw refuse('the request came from an opaque origin ("null")');
  const referer = request.headers.get('referer');
  if (referer !== null) {
    const from = originOf(referer);
    if (from !== null && origins.includes(from)) return;
    throw refuse(`the request came from ${from ?? 'an unknown page'}`, from ?? undefined);
  }
  throw refuse('it names no origin (send Origin, or use an API token)');
}
