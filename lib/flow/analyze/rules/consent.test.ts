import { describe, expect, it } from 'vitest';
import { errorsOf, flowOf, n } from '@/lib/flow/analyze/test-flows';

describe('consent-required', () => {
  it('blocks the edge into a marketing text reached with informational consent only', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.send('promo', 'marketing'), n.end('stop')],
      ['start.next > check', 'check.granted > promo', 'check.missing > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'check.granted' }]);
  });

  it('allows a marketing text after a marketing consent check', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'marketing'), n.send('promo', 'marketing'), n.end('stop')],
      ['start.next > check', 'check.granted > promo', 'check.missing > stop'],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('lets marketing consent cover an informational text', () => {
    const flow = flowOf(
      [n.api(), n.optin('optin'), n.send('info', 'informational'), n.end('stop')],
      ['start.next > optin', 'optin.granted > info', 'optin.declined > stop', 'optin.timeout > stop'],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('does not let informational consent cover marketing, whichever way it was given', () => {
    const flow = flowOf(
      [n.api(), n.notice('notice'), n.ask('promo', 'marketing'), n.end('stop')],
      ['start.next > notice', 'notice.granted > promo', 'notice.declined > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'notice.granted' }]);
  });

  it('exempts the opt-in request itself, reached with no consent at all', () => {
    const flow = flowOf(
      [n.api(), n.optin('optin'), n.end('stop')],
      ['start.next > optin', 'optin.granted > stop', 'optin.declined > stop', 'optin.timeout > stop'],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('blocks only the edge whose paths lack consent when two edges lead into one text', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.send('info', 'informational'), n.end('stop')],
      ['start.next > check', 'check.granted > info', 'check.missing > info'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'check.missing' }]);
  });

  it('needs consent on every path: a join with one path lacking it blocks the edge after the join', () => {
    const flow = flowOf(
      [n.api(), n.ask('q', 'informational'), n.check('check', 'informational'), n.set('join'), n.send('info', 'informational')],
      ['start.next > check', 'check.granted > q', 'check.missing > join', 'q.reply > join', 'join.next > info'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'join.next' }]);
  });

  it('treats a declined opt-in as no consent for that purpose', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'marketing'), n.optin('optin'), n.send('promo', 'marketing'), n.end('stop')],
      [
        'start.next > check',
        'check.granted > optin',
        'check.missing > stop',
        'optin.granted > stop',
        'optin.declined > promo',
        'optin.timeout > promo',
      ],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'optin.declined' }]);
  });

  it('requires informational consent for identity checks and payment requests', () => {
    const flow = flowOf(
      [n.api(), n.verify('verify'), n.end('stop')],
      ['start.next > verify', 'verify.verified > stop', 'verify.failed > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'start.next' }]);
  });

  it('reports a missing gate once, not again at every text after it', () => {
    const flow = flowOf(
      [n.api(), n.send('a', 'informational'), n.send('b', 'informational'), n.send('c', 'informational'), n.end('stop')],
      ['start.next > a', 'a.sent > b', 'b.sent > c', 'a.failed > stop', 'b.failed > stop', 'c.sent > stop', 'c.failed > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'consent-required', edgeId: 'start.next' }]);
  });
});
