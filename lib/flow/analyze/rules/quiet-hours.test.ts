import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { errorsOf, flowOf, n } from '@/lib/flow/analyze/test-flows';

/** A scheduled flow: consent check, then `nodes` wired by `wiring`, with `first` the first node after the check. */
function scheduled(at: string, first: string, nodes: Parameters<typeof flowOf>[0], wiring: string[], quietHours?: 'federal' | 'strictest') {
  return flowOf(
    [n.schedule(at), n.check('check', 'marketing'), n.end('stop'), ...nodes],
    ['start.next > check', 'check.missing > stop', `check.granted > ${first}`, ...wiring],
    quietHours ? { quietHours } : {},
  );
}

const sendEnds = (id: string) => [`${id}.sent > stop`, `${id}.failed > stop`];

describe('quiet-hours', () => {
  it('blocks a send-now text reached at 07:00 on a schedule', () => {
    const flow = scheduled('07:00', 'info', [n.send('info', 'informational', 'send')], sendEnds('info'));
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'check.granted' }]);
  });

  it('allows a send-now text reached at 10:00 on a schedule', () => {
    const flow = scheduled('10:00', 'info', [n.send('info', 'informational', 'send')], sendEnds('info'));
    expect(errorsOf(flow)).toEqual([]);
  });

  it('blocks a send-now text whose 15-minute start spread runs past 21:00', () => {
    const flow = scheduled('20:50', 'info', [n.send('info', 'informational', 'send')], sendEnds('info'));
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'check.granted' }]);
    expect(analyzeFlow(flow).problems[0]?.message).toContain('at 21:00–21:05');
  });

  it('allows a held (deferred) text at any hour', () => {
    const flow = scheduled(
      '03:00',
      'info',
      [n.send('info', 'informational', 'defer'), n.send('plain', 'informational')],
      ['info.sent > plain', 'info.failed > stop', ...sendEnds('plain')],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it("allows a send-now text at any hour when it answers the contact's reply", () => {
    const flow = scheduled(
      '10:00',
      'q',
      [n.ask('q', 'informational', 'PT12H'), n.split('which'), n.send('answer', 'informational', 'send')],
      ['q.reply > which', 'q.timeout > stop', 'which.yes > answer', 'which.else > stop', ...sendEnds('answer')],
    );
    expect(errorsOf(flow)).toEqual([]);
    expect(analyzeFlow(flow).edges['which.yes']).toMatchObject({ answering: true, times: [{ from: 0, to: 1440 }] });
  });

  it('stops answering after the first text or wait', () => {
    const flow = scheduled(
      '10:00',
      'q',
      [n.ask('q', 'informational', 'PT12H'), n.send('ack', 'informational', 'send'), n.send('more', 'informational', 'send')],
      ['q.reply > ack', 'q.timeout > stop', 'ack.sent > more', 'ack.failed > stop', ...sendEnds('more')],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'ack.sent' }]);
  });

  it("treats a keyword trigger as the contact's own message", () => {
    const flow = flowOf(
      [n.keyword(), n.optin('optin'), n.end('stop')],
      ['start.next > optin', 'optin.granted > stop', 'optin.declined > stop', 'optin.timeout > stop'],
    );
    expect(analyzeFlow(flow).edges['start.next']).toMatchObject({ answering: true, times: [{ from: 0, to: 1440 }] });
  });

  it('blocks a send-now text that a timeout can reach at night', () => {
    const flow = scheduled(
      '10:00',
      'q',
      [n.ask('q', 'informational', 'PT12H'), n.send('nudge', 'informational', 'send')],
      ['q.reply > stop', 'q.timeout > nudge', ...sendEnds('nudge')],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'q.timeout' }]);
  });

  it('under the strictest policy, blocks every send-now marketing text that does not answer the contact, even at noon', () => {
    const flow = scheduled('12:00', 'promo', [n.send('promo', 'marketing', 'send')], sendEnds('promo'));
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'check.granted' }]);
    expect(analyzeFlow(flow).problems[0]?.message).toMatch(/under the strictest policy marketing texts must be held/);
  });

  it('under the federal policy, allows a send-now marketing text at noon', () => {
    const flow = scheduled('12:00', 'promo', [n.send('promo', 'marketing', 'send')], sendEnds('promo'), 'federal');
    expect(errorsOf(flow)).toEqual([]);
  });

  it('allows a send-now text after a time window inside the allowed hours', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.window('w', '09:00', '17:00'), n.send('info', 'informational', 'send'), n.end('stop')],
      ['start.next > check', 'check.missing > stop', 'check.granted > w', 'w.next > info', ...sendEnds('info')],
    );
    expect(errorsOf(flow)).toEqual([]);
    expect(analyzeFlow(flow).edges['w.next']?.times).toEqual([{ from: 540, to: 1020 }]);
  });

  it('blocks a send-now text after a time window that wraps midnight', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.window('w', '20:00', '02:00'), n.send('info', 'informational', 'send'), n.end('stop')],
      ['start.next > check', 'check.missing > stop', 'check.granted > w', 'w.next > info', ...sendEnds('info')],
    );
    expect(analyzeFlow(flow).edges['w.next']?.times).toEqual([
      { from: 0, to: 120 },
      { from: 1200, to: 1440 },
    ]);
    expect(errorsOf(flow)).toEqual([{ rule: 'quiet-hours', edgeId: 'w.next' }]);
    expect(analyzeFlow(flow).problems[0]?.message).toContain('at 00:00–02:00, 21:00–24:00');
  });

  it('keeps a day-long wait inside the window only when the widened hour still fits', () => {
    const ok = scheduled(
      '10:00',
      'later',
      [n.wait('later', 'P1D'), n.send('info', 'informational', 'send')],
      ['later.next > info', ...sendEnds('info')],
    );
    expect(analyzeFlow(ok).edges['later.next']?.times).toEqual([{ from: 540, to: 675 }]);
    expect(errorsOf(ok)).toEqual([]);
    const late = scheduled(
      '20:00',
      'later',
      [n.wait('later', 'P1D'), n.send('info', 'informational', 'send')],
      ['later.next > info', ...sendEnds('info')],
    );
    expect(errorsOf(late)).toEqual([{ rule: 'quiet-hours', edgeId: 'later.next' }]);
  });
});
