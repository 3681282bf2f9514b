import { describe, expect, it } from 'vitest';
import { analyzeFlow } from './index';
import { flowOf, n } from './test-flows';

const gate = ['start.next > check', 'check.missing > stop'];

describe('data flow over a flow', () => {
  it('widens a 30-minute wait from 01:45 by an hour for a daylight-saving change', () => {
    const flow = flowOf(
      [n.schedule('01:45'), n.check('check', 'informational'), n.end('stop'), n.wait('w', 'PT30M')],
      [...gate, 'check.granted > w', 'w.next > stop'],
    );
    expect(analyzeFlow(flow).edges['w.next']?.times).toEqual([{ from: 75, to: 210 }]);
  });

  it('does not widen a 30-minute wait from 10:00', () => {
    const flow = flowOf(
      [n.schedule('10:00'), n.check('check', 'informational'), n.end('stop'), n.wait('w', 'PT30M')],
      [...gate, 'check.granted > w', 'w.next > stop'],
    );
    expect(analyzeFlow(flow).edges['w.next']?.times).toEqual([{ from: 630, to: 645 }]);
  });

  it('widens a one-day wait by an hour either way', () => {
    const flow = flowOf(
      [n.schedule('10:00'), n.check('check', 'informational'), n.end('stop'), n.wait('w', 'P1D')],
      [...gate, 'check.granted > w', 'w.next > stop'],
    );
    expect(analyzeFlow(flow).edges['w.next']?.times).toEqual([{ from: 540, to: 675 }]);
  });

  it('joins the times of every edge into a node', () => {
    const flow = flowOf(
      [
        n.schedule('10:00'),
        n.check('check', 'informational'),
        n.end('stop'),
        n.wait('short', 'PT1H'),
        n.wait('long', 'PT3H'),
        n.set('join'),
      ],
      ['start.next > check', 'check.granted > short', 'check.missing > long', 'short.next > join', 'long.next > join', 'join.next > stop'],
    );
    expect(analyzeFlow(flow).edges['join.next']?.times).toEqual([
      { from: 660, to: 675 },
      { from: 780, to: 795 },
    ]);
  });

  it('terminates on a loop through a wait and widens its times to any time', () => {
    const flow = flowOf(
      [n.schedule('10:00'), n.check('check', 'informational'), n.end('stop'), n.ask('q', 'informational', 'PT5H'), n.wait('w', 'PT7H')],
      [...gate, 'check.granted > q', 'q.reply > stop', 'q.timeout > w', 'w.next > q'],
    );
    const { edges } = analyzeFlow(flow);
    expect(edges['w.next']?.times).toEqual([{ from: 0, to: 1440 }]);
    expect(edges['w.next']?.consent).toEqual({ informational: true, marketing: false });
  });

  it('terminates on a question that loops to itself on its timeout', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.ask('q', 'informational', 'PT5H')],
      [...gate, 'check.granted > q', 'q.reply > stop', 'q.timeout > q'],
    );
    const { edges, problems } = analyzeFlow(flow);
    expect(edges['q.timeout']).toMatchObject({ answering: false, consent: { informational: true, marketing: false } });
    expect(problems).toEqual([]);
  });

  it('leaves out edges no contact can cross', () => {
    const flow = flowOf(
      [n.api(), n.end('stop'), n.send('lost', 'informational')],
      ['start.next > stop', 'lost.sent > stop', 'lost.failed > stop'],
    );
    expect(Object.keys(analyzeFlow(flow).edges)).toEqual(['start.next']);
  });
});
