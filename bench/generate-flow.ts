import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';

/**
 * A valid, compliant flow of about `size` nodes for benchmarks: a consent
 * check, then a chain of question → branch → answer → wait blocks, with the
 * branching, joins and send-now answers real flows have.
 */
export function generateFlow(size: number): FlowDocument {
  const nodes: FlowNode[] = [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    { id: 'no-consent', type: 'end' },
  ];
  const edges: FlowEdge[] = [];
  const edge = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  edge('start', 'next', 'check');
  edge('check', 'missing', 'no-consent');
  const blocks = Math.max(1, Math.floor((size - 4) / 6));
  let entry = { source: 'check', handle: 'granted' };
  for (let i = 0; i < blocks; i++) {
    const id = (name: string) => `${name}-${i}`;
    nodes.push(
      {
        id: id('ask'),
        type: 'message.ask',
        data: { purpose: 'informational', body: `Acme Dental: question ${i}. Reply YES or NO. Reply STOP to opt out.`, timeout: 'PT1H' },
      },
      {
        id: id('split'),
        type: 'split',
        data: {
          on: 'reply',
          cases: [
            { handle: 'yes', equals: ['yes', 'y'] },
            { handle: 'no', equals: ['no', 'n'] },
          ],
        },
      },
      {
        id: id('answer'),
        type: 'message.send',
        data: { purpose: 'informational', body: 'Thanks {{contact.first_name}}, noted.', outsideHours: 'send' },
      },
      { id: id('note'), type: 'variable.set', data: { assign: { [`answer_${i}`]: '{{reply.text}}' } } },
      { id: id('wait'), type: 'wait.delay', data: { duration: 'PT2H' } },
      { id: id('stop'), type: 'end' },
    );
    edge(entry.source, entry.handle, id('ask'));
    edge(id('ask'), 'reply', id('split'));
    edge(id('ask'), 'timeout', id('wait'));
    edge(id('split'), 'yes', id('answer'));
    edge(id('split'), 'no', id('note'));
    edge(id('split'), 'else', id('stop'));
    edge(id('answer'), 'sent', id('wait'));
    edge(id('answer'), 'failed', id('stop'));
    edge(id('note'), 'next', id('wait'));
    entry = { source: id('wait'), handle: 'next' };
  }
  nodes.push({ id: 'done', type: 'end' });
  edge(entry.source, entry.handle, 'done');
  return {
    schemaVersion: 1,
    id: `generated-${size}`,
    name: `Generated flow (${nodes.length} nodes)`,
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes,
    edges,
  };
}
