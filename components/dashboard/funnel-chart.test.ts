import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FunnelChart, percentOf } from './funnel-chart';

const funnel = {
  flowId: 'pay-by-text',
  flowName: 'Pay by text',
  enrolled: 3,
  delivered: 2,
  replied: 2,
  optedOut: 1,
  verified: 1,
  paid: 1,
  collected: [{ currency: 'usd', amountMinor: 4250 }],
};

describe('the funnel chart', () => {
  it('draws one bar per stage, named for screen readers, with the same numbers in a table', () => {
    const html = renderToStaticMarkup(createElement(FunnelChart, { funnel }));
    expect(html).toContain('role="img"');
    expect(html).toContain(
      'aria-label="Funnel of Pay by text: Enrolled 3 (100%), Delivered 2 (67%), Replied 2 (67%), Opted out 1 (33%), Verified 1 (33%), Paid 1 (33%)"',
    );
    // The enrolled bar is full width; the paid bar a third of it.
    expect(html).toContain('width="380"');
    expect(html).toContain('width="127"');
    expect(html.match(/<th scope="row">/g)).toHaveLength(6);
  });

  it('counts a stage of no runs as 0%', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(1, 3)).toBe(33);
  });
});
