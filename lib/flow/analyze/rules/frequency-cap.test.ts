import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { errorsOf, flowOf, n } from '@/lib/flow/analyze/test-flows';
import type { FlowNode } from '@/lib/flow/schema';

/** Marketing texts in a row after a marketing opt-in, with `between[i]` (a node id, or nothing) after the i-th. */
function marketingRun(count: number, between: Record<number, FlowNode> = {}, quietHours: 'federal' | 'strictest' = 'strictest') {
  const nodes: FlowNode[] = [n.api(), n.check('check', 'marketing'), n.end('stop')];
  const wiring = ['start.next > check', 'check.missing > stop'];
  let from = 'check.granted';
  for (let i = 1; i <= count; i++) {
    nodes.push(n.send(`m${i}`, 'marketing'));
    wiring.push(`${from} > m${i}`, `m${i}.failed > stop`);
    from = `m${i}.sent`;
    const gap = between[i];
    if (gap) {
      nodes.push(gap);
      wiring.push(`${from} > ${gap.id}`);
      from = `${gap.id}.next`;
    }
  }
  wiring.push(`${from} > stop`);
  return flowOf(nodes, wiring, { quietHours });
}

describe('frequency-cap', () => {
  it('allows 3 marketing texts in a row', () => {
    expect(errorsOf(marketingRun(3))).toEqual([]);
  });

  it('blocks the edge into a 4th marketing text within 24 hours', () => {
    expect(errorsOf(marketingRun(4))).toEqual([{ rule: 'frequency-cap', edgeId: 'm3.sent' }]);
  });

  it('counts waits: 23 hours between the 1st and the 4th is not enough, 24 hours is', () => {
    expect(errorsOf(marketingRun(4, { 3: n.wait('gap', 'PT23H') }))).toEqual([{ rule: 'frequency-cap', edgeId: 'gap.next' }]);
    expect(errorsOf(marketingRun(4, { 1: n.wait('gap', 'PT12H'), 3: n.wait('gap2', 'PT12H') }))).toEqual([]);
    expect(errorsOf(marketingRun(4, { 3: n.wait('gap', 'P1D') }))).toEqual([]);
  });

  it('keeps the least elapsed times on each edge, newest first', () => {
    const flow = marketingRun(3, { 1: n.wait('a', 'PT2H'), 2: n.wait('b', 'PT30M') });
    expect(analyzeFlow(flow).edges['m3.sent']?.recentMarketing).toEqual([0, 30, 150]);
  });

  it('does not apply under the federal policy', () => {
    expect(errorsOf(marketingRun(5, {}, 'federal'))).toEqual([]);
  });

  it('does not count informational texts', () => {
    const flow = flowOf(
      [
        n.api(),
        n.check('check', 'marketing'),
        n.end('stop'),
        n.send('a', 'marketing'),
        n.send('b', 'informational'),
        n.send('c', 'marketing'),
        n.send('d', 'informational'),
        n.send('e', 'marketing'),
      ],
      [
        'start.next > check',
        'check.missing > stop',
        'check.granted > a',
        'a.sent > b',
        'b.sent > c',
        'c.sent > d',
        'd.sent > e',
        'e.sent > stop',
        'a.failed > stop',
        'b.failed > stop',
        'c.failed > stop',
        'd.failed > stop',
        'e.failed > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('reports the loop edge into a marketing text that a 1-hour loop sends again and again', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'marketing'), n.end('stop'), n.send('promo', 'marketing'), n.wait('hour', 'PT1H')],
      [
        'start.next > check',
        'check.missing > stop',
        'check.granted > promo',
        'promo.sent > hour',
        'promo.failed > stop',
        'hour.next > promo',
      ],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'frequency-cap', edgeId: 'hour.next' }]);
  });

  it('allows a daily marketing loop', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'marketing'), n.end('stop'), n.send('promo', 'marketing'), n.wait('day', 'P1D')],
      [
        'start.next > check',
        'check.missing > stop',
        'check.granted > promo',
        'promo.sent > day',
        'promo.failed > stop',
        'day.next > promo',
      ],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it("does not count a text that was not delivered, and counts a question's timeout as elapsed time", () => {
    const flow = flowOf(
      [
        n.api(),
        n.check('check', 'marketing'),
        n.end('stop'),
        n.ask('q1', 'marketing', 'P1D'),
        n.ask('q2', 'marketing', 'P1D'),
        n.ask('q3', 'marketing', 'P1D'),
        n.ask('q4', 'marketing', 'P1D'),
      ],
      [
        'start.next > check',
        'check.missing > stop',
        'check.granted > q1',
        'q1.timeout > q2',
        'q2.timeout > q3',
        'q3.timeout > q4',
        'q1.reply > stop',
        'q2.reply > stop',
        'q3.reply > stop',
        'q4.reply > stop',
        'q4.timeout > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('is conservative at a join: the path with more recent texts decides', () => {
    const flow = flowOf(
      [
        n.api(),
        n.check('check', 'marketing'),
        n.end('stop'),
        n.ask('q', 'marketing', 'P2D'),
        n.send('a', 'marketing'),
        n.send('b', 'marketing'),
        n.set('join'),
        n.send('last', 'marketing'),
      ],
      [
        'start.next > check',
        'check.missing > stop',
        'check.granted > q',
        'q.reply > a',
        'a.sent > b',
        'b.sent > join',
        'q.timeout > join',
        'join.next > last',
        'a.failed > stop',
        'b.failed > stop',
        'last.sent > stop',
        'last.failed > stop',
      ],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'frequency-cap', edgeId: 'join.next' }]);
  });
});
