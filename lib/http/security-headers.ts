/**
 * The security headers Optline answers with, as data: the proxy (proxy.ts)
 * sends them on every page, the payment page's route handler on its HTML
 * (app/pay/pay-page-html.ts), next.config.js the part that never changes on
 * everything else, and the webhook listener nosniff. Pure: the nonce, the
 * scheme and the path are inputs.
 */

/** What a document may run and load. */
export type ContentPolicy =
  /**
   * A Next.js page: scripts and `<style>` elements only with this request's nonce (Next.js puts it on its own).
   * `inlineStyles`: `<style>` elements without a nonce too, on the pages of `INLINE_STYLE_PATHS` only.
   */
  | { kind: 'app'; nonce: string; dev: boolean; inlineStyles?: boolean }
  /** A server-written document with no script at all: only its own inline styles, named by hash ('sha256-…'). */
  | { kind: 'scriptless'; styleHashes: readonly string[] };

export interface SecurityHeadersInput {
  /** The request's path: under /pay the link's token is in the URL. */
  path: string;
  /** Whether the app is served over https (PUBLIC_URL): HSTS and upgrade-insecure-requests only then. */
  https: boolean;
  content: ContentPolicy;
}

/** Sent with every response, even a bodyless one or a webhook's answer: no browser guesses a type the server did not send. */
export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

// Two years, the preload list's expectation; includeSubDomains because nothing of ours is served over plain http.
const HSTS = 'max-age=63072000; includeSubDomains';

// Nothing in the console or the pay page uses these. Payment stays off too: Stripe Checkout is a
// top-level page on Stripe's own origin (a redirect), governed by Stripe's headers, not ours.
const PERMISSIONS = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

/** Whether a path is a contact-facing payment page, whose URL carries the payment's token. */
export function isPayPath(path: string): boolean {
  return path === '/pay' || path.startsWith('/pay/');
}

/**
 * The pages whose `<style>` elements may lack the nonce: the API reference,
 * whose viewer (Scalar) and the editors inside it (CodeMirror, toasts, the
 * code theme) write `<style>` elements of their own without one. Styles
 * only: their scripts keep the nonce and 'strict-dynamic', and no page
 * allows eval. A style cannot run script; the page shows the API's
 * description, not data a visitor typed.
 */
export const INLINE_STYLE_PATHS: readonly string[] = ['/developers/api'];

/** Whether a page's `<style>` elements may lack the nonce (INLINE_STYLE_PATHS). */
export function allowsInlineStyles(path: string): boolean {
  return INLINE_STYLE_PATHS.includes(path);
}

/** The headers that depend on neither the request's nonce nor the scheme (what next.config.js sends on every response). */
export function fixedSecurityHeaders(path: string) {
  return {
    ...NOSNIFF,
    // Older browsers that do not know CSP's frame-ancestors.
    'X-Frame-Options': 'DENY',
    // A payment link is a bearer token: no page it leads to learns it.
    'Referrer-Policy': isPayPath(path) ? 'no-referrer' : 'strict-origin-when-cross-origin',
    'Permissions-Policy': PERMISSIONS,
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

/** The Content-Security-Policy header's value for a document. */
export function contentSecurityPolicy(content: ContentPolicy, https: boolean): string {
  const directives: string[][] =
    content.kind === 'app'
      ? [
          ['default-src', "'self'"],
          // 'strict-dynamic': the chunks Next.js's nonce-carrying scripts load are trusted; no host list to keep.
          // Development only: React rebuilds server error stacks with eval.
          ['script-src', "'self'", `'nonce-${content.nonce}'`, "'strict-dynamic'", ...(content.dev ? ["'unsafe-eval'"] : [])],
          // <style> elements need the nonce (Next.js adds it to its own); development injects styles without one.
          // (A nonce would make the browser ignore 'unsafe-inline': a page allowed inline styles names none.)
          ['style-src', "'self'", ...(content.dev || content.inlineStyles ? ["'unsafe-inline'"] : [`'nonce-${content.nonce}'`])],
          // Style attributes stay allowed: React writes them into the server HTML (React Flow's canvas,
          // node positions, edge labels) and a blocked one is never re-applied on hydration. An attribute
          // cannot run script or select other elements; the injection CSS is known for needs a <style>.
          ['style-src-attr', "'unsafe-inline'"],
          // data: for the two-factor QR code, drawn in the browser as a data: URL.
          ['img-src', "'self'", 'data:'],
          ['font-src', "'self'"],
          ['connect-src', "'self'"],
          // The editor's analysis Web Worker, a same-origin script (lib/editor/lint-client.ts); 'strict-dynamic'
          // would otherwise refuse it, as a worker carries no nonce.
          ['worker-src', "'self'"],
          ['frame-src', "'none'"],
          ['object-src', "'none'"],
          ['base-uri', "'none'"],
          ['form-action', "'self'"],
          ['frame-ancestors', "'none'"],
        ]
      : [
          ['default-src', "'none'"],
          ['style-src', ...content.styleHashes.map((h) => `'${h}'`)],
          // The browser's own favicon request.
          ['img-src', "'self'"],
          ['base-uri', "'none'"],
          ['form-action', "'self'"],
          ['frame-ancestors', "'none'"],
        ];
  if (https) directives.push(['upgrade-insecure-requests']);
  return directives.map((d) => d.join(' ')).join('; ');
}

/** Every security header for a document response. */
export function securityHeaders(input: SecurityHeadersInput) {
  return {
    ...fixedSecurityHeaders(input.path),
    'Content-Security-Policy': contentSecurityPolicy(input.content, input.https),
    ...(input.https ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}
