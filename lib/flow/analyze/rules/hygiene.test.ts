import { describe, expect, it } from 'vitest';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { flowOf, n, warningsOf } from '@/lib/flow/analyze/test-flows';

describe('hygiene warnings', () => {
  it('warns about a node no run can reach', () => {
    const flow = flowOf([n.api(), n.end('stop'), n.end('orphan')], ['start.next > stop']);
    expect(warningsOf(flow)).toEqual([{ rule: 'unreachable-node', nodeId: 'orphan' }]);
  });

  it('warns about each output of a reachable node that leads nowhere', () => {
    const flow = flowOf([n.api(), n.check('check', 'informational'), n.end('stop')], ['start.next > check', 'check.missing > stop']);
    expect(warningsOf(flow)).toEqual([{ rule: 'unconnected-output', nodeId: 'check' }]);
  });

  it('says which output is not connected', () => {
    const flow = flowOf([n.api(), n.check('check', 'informational'), n.end('stop')], ['start.next > check', 'check.missing > stop']);
    expect(analyzeFlow(flow).problems[0]?.message).toBe(
      'The "granted" output of Check consent "check" is not connected: a run that takes it ends there.',
    );
  });

  it('does not list the outputs of a node that is already unreachable', () => {
    const flow = flowOf([n.api(), n.end('stop'), n.check('lost', 'informational')], ['start.next > stop']);
    expect(warningsOf(flow)).toEqual([{ rule: 'unreachable-node', nodeId: 'lost' }]);
  });
});
