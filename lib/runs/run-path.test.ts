import { describe, expect, it } from 'vitest';
import { maskPhone } from './mask-phone';
import { runPath } from './run-path';

const flow = {
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'ask', type: 'message.ask', data: { purpose: 'informational', body: 'Coming? Reply YES or NO', timeout: 'PT1H' } },
    { id: 'route', type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes'] }] } },
    { id: 'thanks', type: 'message.send', data: { purpose: 'informational', body: 'Thanks' } },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'ask' },
    { id: 'e2', source: 'ask', sourceHandle: 'reply', target: 'route' },
    { id: 'e3', source: 'ask', sourceHandle: 'timeout', target: 'done' },
    { id: 'e4', source: 'route', sourceHandle: 'yes', target: 'thanks' },
    { id: 'e5', source: 'route', sourceHandle: 'else', target: 'thanks' },
    { id: 'e6', source: 'thanks', sourceHandle: 'sent', target: 'done' },
    { id: 'e7', source: 'thanks', sourceHandle: 'failed', target: 'done' },
  ],
} as never;

describe('the path a run took', () => {
  it('marks the nodes entered and the edge of the output taken, and the node an active run waits in', () => {
    const path = runPath(
      flow,
      [
        { from: null, to: 'start', event: 'start' },
        { from: 'start', to: 'ask', event: 'start' },
        { from: 'ask', to: 'ask', event: 'sms.sent' },
      ],
      'ask',
    );
    expect(path).toEqual({ nodeTones: { start: 'visited', ask: 'current' }, edgeTones: { e1: 'visited' } });
  });

  it('tells a sent edge from a failed one to the same node, and marks both cases of a split that lead to one node', () => {
    const path = runPath(
      flow,
      [
        { from: null, to: 'start', event: 'start' },
        { from: 'start', to: 'ask', event: 'start' },
        { from: 'ask', to: 'route', event: 'reply' },
        { from: 'route', to: 'thanks', event: 'reply' },
        { from: 'thanks', to: 'done', event: 'sms.sent' },
      ],
      null,
    );
    expect(path.edgeTones).toEqual({ e1: 'visited', e2: 'visited', e4: 'visited', e5: 'visited', e6: 'visited' });
    expect(Object.keys(path.nodeTones)).toEqual(['start', 'ask', 'route', 'thanks', 'done']);
  });

  it('takes the timeout output on a timer', () => {
    expect(runPath(flow, [{ from: 'ask', to: 'done', event: 'xstate.after.3600000.f.ask.awaiting' }], null).edgeTones).toEqual({
      e3: 'visited',
    });
  });
});

describe('a masked phone number', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhone('+12125551234')).toBe('+1 •••• ••12 34');
    expect(maskPhone('+447911123456')).toBe('+44 •••• ••34 56');
    expect(maskPhone(null)).toBeNull();
  });
});
