/**
 * Where a signed-out visitor was going, so sign-in can take them there
 * instead of the home page. The proxy (proxy.ts) hands the requested path to
 * the pages in this header; the sign-in page follows only a path inside the
 * app (never another site: no open redirect).
 */
export const REQUESTED_PATH_HEADER = 'x-optline-path';

/** Only a path of this app: one leading slash, no scheme, host, backslash or blank. */
export function safeReturnPath(next: string | string[] | null | undefined): string {
  const n = typeof next === 'string' ? next : '';
  return /^\/(?!\/)[^\s\\]*$/.test(n) ? n : '/';
}

/** The sign-in page, asked to come back to `requested` afterwards (nothing added for the home page or a path it would not follow). */
export function signInPath(requested: string | null | undefined): string {
  const path = safeReturnPath(requested);
  return path === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(path)}`;
}
