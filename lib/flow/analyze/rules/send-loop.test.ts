import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { errorsOf, flowOf, n } from '@/lib/flow/analyze/test-flows';

const gate = ['start.next > check', 'check.missing > stop'];

describe('send-loop', () => {
  it('blocks the edge that closes a loop sending texts without any wait', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.send('again', 'informational'), n.set('count')],
      [...gate, 'check.granted > again', 'again.sent > count', 'again.failed > stop', 'count.next > again'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'send-loop', edgeId: 'count.next' }]);
    expect(analyzeFlow(flow).blockedEdges).toEqual(['count.next']);
  });

  it('blocks a text that loops straight back to itself', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.send('again', 'informational')],
      [...gate, 'check.granted > again', 'again.sent > again', 'again.failed > stop'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'send-loop', edgeId: 'again.sent' }]);
  });

  it('allows a loop with a wait in it, and the analysis terminates', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.send('again', 'informational'), n.wait('pause', 'PT7H')],
      [...gate, 'check.granted > again', 'again.sent > pause', 'again.failed > stop', 'pause.next > again'],
    );
    expect(errorsOf(flow)).toEqual([]);
    // The loop shifts the times by 7 hours each round: widening makes them any time.
    expect(analyzeFlow(flow).edges['pause.next']?.times).toEqual([{ from: 0, to: 1440 }]);
  });

  it('allows a question that asks again on its own timeout (a self-loop that waits)', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.ask('q', 'informational', 'PT5H')],
      [...gate, 'check.granted > q', 'q.timeout > q', 'q.reply > stop'],
    );
    expect(errorsOf(flow)).toEqual([]);
  });

  it('does not count a time window as a wait: inside the window it continues at once', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.send('again', 'informational'), n.window('w', '09:00', '17:00')],
      [...gate, 'check.granted > again', 'again.sent > w', 'again.failed > stop', 'w.next > again'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'send-loop', edgeId: 'w.next' }]);
  });

  it('blocks a loop that sends nothing but never waits: two open windows leading into each other', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.window('a', '09:00', '17:00'), n.window('b', '10:00', '18:00')],
      [...gate, 'check.granted > a', 'a.next > b', 'b.next > a'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'busy-loop', edgeId: 'b.next' }]);
  });

  it('does not count a zero-length wait as a wait', () => {
    const flow = flowOf(
      [n.api(), n.check('check', 'informational'), n.end('stop'), n.send('again', 'informational'), n.wait('none', 'PT0S')],
      [...gate, 'check.granted > again', 'again.sent > none', 'again.failed > stop', 'none.next > again'],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'send-loop', edgeId: 'none.next' }]);
  });

  it('leaves a loop that neither sends nor waits to the document check, which refuses it', () => {
    expect(() =>
      flowOf(
        [n.api(), n.check('check', 'informational'), n.end('stop'), n.split('which'), n.set('note')],
        [...gate, 'check.granted > which', 'which.yes > note', 'which.else > stop', 'note.next > which'],
      ),
    ).toThrow(/never waits, so a contact entering it would go round forever/);
  });

  it('reports the loop where contacts enter it, when a send sits on a second cycle of the same loop', () => {
    // a → t → b → a and a → s → b → a: the back edge b → a closes both cycles.
    const flow = flowOf(
      [
        n.api(),
        n.check('check', 'informational'),
        n.end('stop'),
        { id: 'a', type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes'] }] } },
        n.set('b'),
        n.send('s', 'informational'),
        n.send('t', 'informational'),
      ],
      [
        ...gate,
        'check.granted > a',
        'a.yes > t',
        't.sent > b',
        't.failed > stop',
        'a.else > s',
        's.sent > b',
        's.failed > stop',
        'b.next > a',
      ],
    );
    expect(errorsOf(flow)).toEqual([{ rule: 'send-loop', edgeId: 'b.next' }]);
  });
});
