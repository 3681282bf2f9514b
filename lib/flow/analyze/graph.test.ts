import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@/lib/flow/schema';
import { buildGraph, reversePostorder, stronglyConnectedComponents } from './graph';
import { flowOf, n } from './test-flows';

describe('the flow graph', () => {
  const flow = flowOf(
    [n.api(), n.split('a'), n.set('b'), n.wait('c', 'PT1H'), n.end('d'), n.end('orphan')],
    ['start.next > a', 'a.yes > b', 'a.else > c', 'b.next > d', 'c.next > a'],
  );

  it('indexes outputs, incoming and outgoing edges once', () => {
    const g = buildGraph(flow);
    const a = g.nodeIndex.get('a')!;
    expect(g.outputs[a]).toEqual(['yes', 'else']);
    expect(g.outEdges[a]!.map((e) => g.edges[e]!.id)).toEqual(['a.yes', 'a.else']);
    expect(g.inEdges[a]!.map((e) => g.edges[e]!.id)).toEqual(['start.next', 'c.next']);
    expect(g.roots).toEqual([0]);
  });

  it('lists reachable nodes in reverse postorder, each after the nodes that lead to it (loops aside)', () => {
    const g = buildGraph(flow);
    expect(reversePostorder(g).map((v) => g.nodes[v]!.id)).toEqual(['start', 'a', 'c', 'b', 'd']);
  });

  it('finds the strongly connected parts and which of them loop', () => {
    const g = buildGraph(flow);
    const order = reversePostorder(g);
    const { component, cyclic } = stronglyConnectedComponents(g, order, () => true);
    const id = (x: string) => component[g.nodeIndex.get(x)!]!;
    expect(id('a')).toBe(id('c'));
    expect(id('b')).not.toBe(id('a'));
    expect(cyclic[id('a')]).toBe(true);
    expect(cyclic[id('b')]).toBe(false);
    expect(component[g.nodeIndex.get('orphan')!]).toBe(-1);
  });

  it('skips edges to unknown nodes or outputs instead of throwing', () => {
    const broken = {
      ...flow,
      edges: [
        ...flow.edges,
        { id: 'x', source: 'b', sourceHandle: 'nope', target: 'd' },
        { id: 'y', source: 'ghost', sourceHandle: 'next', target: 'd' },
      ],
    } as FlowDocument;
    const g = buildGraph(broken);
    expect(g.edgeSource[g.edges.length - 1]).toBe(-1);
    expect(g.edgeSource[g.edges.length - 2]).toBe(-1);
  });

  it('handles a chain of 20,000 nodes without overflowing the stack', () => {
    const nodes = [n.api(), ...Array.from({ length: 20_000 }, (_, i) => n.set(`v${i}`))];
    const edges = nodes.slice(0, -1).map((node, i) => ({ id: `e${i}`, source: node.id, sourceHandle: 'next', target: nodes[i + 1]!.id }));
    const g = buildGraph({ ...flow, nodes, edges });
    const order = reversePostorder(g);
    expect(order.length).toBe(20_001);
    expect(stronglyConnectedComponents(g, order, () => true).cyclic.every((c) => !c)).toBe(true);
  });
});
