import type { NextConfig } from 'next';
import { describe, expect, it } from 'vitest';
import { allowsInlineStyles, fixedSecurityHeaders, securityHeaders } from './security-headers';

const NONCE = 'bm9uY2Utb2YtdGhpcy1yZXF1ZXN0';

describe('the security headers', () => {
  it('gives a console page a nonce-based CSP that nothing can frame, and no HSTS over http', () => {
    expect(securityHeaders({ path: '/settings', https: false, content: { kind: 'app', nonce: NONCE, dev: false } })).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy':
        "default-src 'self'; script-src 'self' 'nonce-bm9uY2Utb2YtdGhpcy1yZXF1ZXN0' 'strict-dynamic'; style-src 'self' 'nonce-bm9uY2Utb2YtdGhpcy1yZXF1ZXN0'; " +
        "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; frame-src 'none'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    });
  });

  it('adds HSTS and upgrade-insecure-requests when the app is served over https', () => {
    const h = securityHeaders({ path: '/flows', https: true, content: { kind: 'app', nonce: NONCE, dev: false } });
    expect(h['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
    expect(h['Content-Security-Policy']).toMatch(/; frame-ancestors 'none'; upgrade-insecure-requests$/);
  });

  it('allows eval and unnonced styles only in development', () => {
    const csp = securityHeaders({ path: '/flows', https: false, content: { kind: 'app', nonce: NONCE, dev: true } })[
      'Content-Security-Policy'
    ];
    expect(csp).toContain(`script-src 'self' 'nonce-${NONCE}' 'strict-dynamic' 'unsafe-eval';`);
    expect(csp).toContain("style-src 'self' 'unsafe-inline';");
  });

  it('lets only the API reference page have <style> elements without the nonce, its scripts still nonced and no eval', () => {
    expect(allowsInlineStyles('/developers/api')).toBe(true);
    for (const path of ['/flows', '/settings', '/developers/api/x', '/developers', '/sign-in'])
      expect(allowsInlineStyles(path), path).toBe(false);
    const csp = securityHeaders({
      path: '/developers/api',
      https: false,
      content: { kind: 'app', nonce: NONCE, dev: false, inlineStyles: allowsInlineStyles('/developers/api') },
    })['Content-Security-Policy'];
    expect(csp).toContain(`script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'; style-src 'self' 'unsafe-inline';`);
    expect(csp).not.toContain('unsafe-eval');
  });

  it('gives the pay page no referrer, no script at all and only its own style by hash', () => {
    expect(securityHeaders({ path: '/pay/abc', https: true, content: { kind: 'scriptless', styleHashes: ['sha256-AAAA'] } })).toEqual({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'sha256-AAAA'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    });
  });

  it('sends no referrer from the /pay pages Next.js renders (done, receipt) either, but does from a path that only starts alike', () => {
    expect(fixedSecurityHeaders('/pay/done')['Referrer-Policy']).toBe('no-referrer');
    expect(fixedSecurityHeaders('/pay/receipt/1')['Referrer-Policy']).toBe('no-referrer');
    expect(fixedSecurityHeaders('/payments')['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
  });

  it('is what next.config.js sends on every other response (API, static files, redirects)', async () => {
    // Plain JavaScript (tsconfig has no allowJs), so typed here.
    const { default: nextConfig } = (await import('@/next.config.js' as string)) as { default: NextConfig };
    const rules = await nextConfig.headers!();
    // Next.js applies every matching rule in order, a later one replacing a header an earlier one set.
    const sent = (path: string) => {
      const headers: Record<string, string> = {};
      for (const rule of rules) {
        const pattern = new RegExp(`^${rule.source.replace('/:path*', '(/.*)?')}$`);
        if (pattern.test(path)) for (const { key, value } of rule.headers) headers[key] = value;
      }
      return headers;
    };
    for (const path of ['/', '/api/flows', '/_next/static/chunks/app.js', '/pay', '/pay/abc/outcome', '/payments']) {
      expect(sent(path), path).toEqual(fixedSecurityHeaders(path));
    }
  });
});
