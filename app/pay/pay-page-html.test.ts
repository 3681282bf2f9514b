import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { htmlResponse, renderPayPage, type PayPageView } from './pay-page-html';

const VIEWS: PayPageView[] = [
  {
    kind: 'sandbox',
    token: 'A'.repeat(43),
    amount: '$12.50',
    description: 'Acme Dental bill',
    expiresAt: new Date('2026-01-02T03:04:05Z'),
  },
  { kind: 'closed', title: 'This link has expired', text: 'Please contact us for a new payment link.', description: 'Acme Dental bill' },
];

describe('the payment page response', () => {
  it.each(VIEWS)('allows exactly the page’s own style by hash and no script ($kind)', async (view) => {
    const res = htmlResponse(renderPayPage(view), 200);
    const html = await res.text();
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('says until when the link works with its zone (the page has no script to learn the reader’s, so UTC), never a bare GMT', async () => {
    const html = await htmlResponse(renderPayPage(VIEWS[0]!), 200).text();
    expect(html).toContain('The link works until Jan 2, 2026, 03:04 UTC.');
    expect(html).not.toContain('GMT');
  });
});
