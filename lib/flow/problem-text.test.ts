import { describe, expect, it } from 'vitest';
import { NODE_CATALOG } from './catalog';
import type { FlowDocument } from './schema';
import { describeProblems } from './problem-text';

const flow = {
  nodes: [
    { id: 'start', type: 'trigger', data: {} },
    { id: 'ask-1', type: 'consent.request', data: {} },
    { id: 'pay', type: 'payment.request', label: 'Send the bill', data: {} },
  ],
  edges: [{ id: 'e1', source: 'ask-1', sourceHandle: 'granted', target: 'pay' }],
} as unknown as Pick<FlowDocument, 'nodes' | 'edges'>;
// Titles come from the catalog, so the test holds when a step type is renamed.
const ASK = NODE_CATALOG['consent.request'].title;

describe('describeProblems', () => {
  it('names a step by its label or title, never its id, and keeps the ids for the details', () => {
    const [text] = describeProblems(flow, [
      {
        rule: 'unconnected-output',
        severity: 'warning',
        nodeId: 'ask-1',
        message: `The "denied" output of ${ASK} "ask-1" is not connected: a run that takes it ends there.`,
      },
    ]);
    expect(text).toEqual({
      where: `Step “${ASK}”`,
      sentence: `The "denied" output of the “${ASK}” step is not connected: a run that takes it ends there.`,
      severity: 'warning',
      details: 'rule unconnected-output · step id ask-1',
    });
  });

  it('names a connection by the steps at its ends, and a field path by its step', () => {
    const [edge, field] = describeProblems(flow, [
      { rule: 'verify-before-pay', severity: 'error', edgeId: 'e1', message: 'Verify the contact first.' },
      { rule: 'schema', severity: 'error', path: 'nodes[2].data.amount', message: 'must be a positive amount' },
    ]);
    expect(edge!.where).toBe(`The connection from “${ASK}” (granted) to “Send the bill”`);
    expect(field!.where).toBe('Step “Send the bill”');
    expect(field!.details).toBe('rule schema · path nodes[2].data.amount');
  });
});
