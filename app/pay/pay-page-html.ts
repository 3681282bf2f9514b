/**
 * The contact-facing payment page as plain HTML: served by a route handler
 * (not a React page) so a dead link can answer 404 or 410, which an App
 * Router page cannot. No script, no card field: card data never touches
 * Optline (PCI DSS, SAQ A).
 */
import { createHash } from 'node:crypto';
import { formatInstant } from '@/lib/compliance/time-display';
import { env } from '@/lib/env';
import { securityHeaders } from '@/lib/http/security-headers';

/** What `/pay/<token>` shows. */
export type PayPageView =
  | { kind: 'sandbox'; token: string; amount: string; description: string; expiresAt: Date }
  | { kind: 'closed'; title: string; text: string; description?: string };

const STYLE = `
:root { color-scheme: light; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; background: #f7f8fa; }
main { max-width: 480px; margin: 0 auto; padding: 40px 24px; }
section { background: #fff; border: 1px solid #dde2ea; border-radius: 10px; padding: 20px 24px; }
h1 { font-size: 30px; margin: 6px 0 12px; }
p { margin: 8px 0 0; }
.meta { color: #5b6575; font-size: 13px; }
.notice { background: #eef2fd; border: 1px solid #cdd8fb; border-radius: 8px; padding: 10px 14px; font-size: 14px; }
form { margin-top: 12px; }
label { display: block; font-size: 14px; margin-bottom: 12px; }
select { display: block; width: 100%; margin-top: 4px; font: inherit; padding: 7px 9px; border: 1px solid #dde2ea; border-radius: 6px; }
button { font: inherit; font-size: 14px; height: 38px; padding: 0 16px; border: 1px solid #dde2ea; border-radius: 8px; background: #fff; cursor: pointer; }
button.primary { background: #2f5bea; border-color: #2f5bea; color: #fff; }
button:focus-visible, select:focus-visible { outline: none; box-shadow: 0 0 0 3px rgba(47, 91, 234, 0.35); }
`;

// The page's only inline content, allowed by its hash: the page runs no script at all.
const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The whole document for a view. */
export function renderPayPage(view: PayPageView): string {
  const e = escapeHtml;
  const body =
    view.kind === 'closed'
      ? `${view.description ? `<p class="meta">${e(view.description)}</p>` : ''}
      <h1 id="pay-title">${e(view.title)}</h1>
      <p>${e(view.text)}</p>`
      : `<p class="meta">${e(view.description)}</p>
      <h1 id="pay-title">${e(view.amount)}</h1>
      <p class="notice" role="note">Test payment page (sandbox): no card is charged and no card details are asked for. With Stripe configured, this link opens Stripe’s secure checkout.</p>
      <form method="post" action="/pay/${e(view.token)}/outcome">
        <input type="hidden" name="outcome" value="paid">
        <label>Postal code check (test)
          <select name="postalCode">
            <option value="pass" selected>Passes</option>
            <option value="fail">Fails (the payment is refused)</option>
            <option value="unavailable">Unavailable (recorded, payment goes through)</option>
          </select>
        </label>
        <button type="submit" class="primary">Pay ${e(view.amount)} (test)</button>
      </form>
      <form method="post" action="/pay/${e(view.token)}/outcome">
        <input type="hidden" name="outcome" value="failed">
        <button type="submit">Fail (test)</button>
      </form>
      <p class="meta">The link works until ${e(formatInstant(view.expiresAt, 'UTC'))}.</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(view.kind === 'closed' ? view.title : 'Payment')}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
  <section aria-labelledby="pay-title">
      ${body}
  </section>
</main>
</body>
</html>
`;
}

/** An HTML response for a page of renderPayPage that no cache keeps (the page changes once paid), framed by no one, its URL leaked to no one. */
export function htmlResponse(html: string, status: number): Response {
  const security = securityHeaders({
    path: '/pay/',
    https: env().publicUrl.startsWith('https:'),
    content: { kind: 'scriptless', styleHashes: [STYLE_HASH] },
  });
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...security } });
}
