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

/**
 * A valid flow of about `size` nodes in the shape that broke the old layout:
 * a long chain of question → branch blocks whose many other outputs all lead
 * to one shared "thank you" message and one shared End, with a retry loop
 * (ask again after a wait) every `retryEvery` blocks.
 */
export function generateSharedEndFlow(size: number, options: { retryEvery?: number; positions?: boolean } = {}): FlowDocument {
  const retryEvery = options.retryEvery ?? 10;
  const nodes: FlowNode[] = [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'thanks',
      type: 'message.send',
      data: { purpose: 'informational', body: 'Acme Dental: thank you, we will be in touch.', outsideHours: 'send' },
    },
    { id: 'done', type: 'end' },
  ];
  const edges: FlowEdge[] = [];
  const edge = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  edge('start', 'next', 'check');
  edge('check', 'missing', 'done');
  edge('thanks', 'sent', 'done');
  edge('thanks', 'failed', 'done');
  let entry = { source: 'check', handle: 'granted' };
  for (let i = 0; nodes.length + 2 + (i % retryEvery === 0 ? 1 : 0) <= size; i++) {
    const ask = `ask-${i}`;
    const split = `split-${i}`;
    nodes.push(
      {
        id: ask,
        type: 'message.ask',
        data: { purpose: 'informational', body: `Acme Dental: question ${i}. Reply YES or NO. Reply STOP to opt out.`, timeout: 'PT1H' },
      },
      {
        id: split,
        type: 'split',
        data: {
          on: 'reply',
          cases: [
            { handle: 'yes', equals: ['yes', 'y'] },
            { handle: 'no', equals: ['no', 'n'] },
          ],
        },
      },
    );
    edge(entry.source, entry.handle, ask);
    edge(ask, 'reply', split);
    if (i % retryEvery === 0) {
      // Asked again after a wait: a loop back up the flow.
      const retry = `retry-${i}`;
      nodes.push({ id: retry, type: 'wait.delay', data: { duration: 'PT2H' } });
      edge(ask, 'timeout', retry);
      edge(retry, 'next', ask);
    } else {
      edge(ask, 'timeout', 'done');
    }
    edge(split, 'no', 'thanks');
    edge(split, 'else', 'done');
    entry = { source: split, handle: 'yes' };
  }
  edge(entry.source, entry.handle, 'thanks');
  const positioned = options.positions
    ? nodes.map((n, i) => ({ ...n, position: { x: (i % 50) * 280, y: Math.floor(i / 50) * 240 } }))
    : nodes;
  return {
    schemaVersion: 1,
    id: `shared-end-${size}`,
    name: `Shared End flow (${nodes.length} nodes)`,
    policy: { brand: 'Acme Dental', quietHours: 'strictest' },
    nodes: positioned,
    edges,
  };
}
