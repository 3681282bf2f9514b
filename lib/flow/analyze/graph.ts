import { outputsOf } from '@/lib/flow/catalog';
import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';

/**
 * A flow as arrays indexed by position, built once per analysis: every query
 * below is linear in nodes + edges. Edges that name an unknown node or output
 * (a document that skipped validation) are left out rather than thrown on.
 */
export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
  readonly nodeIndex: ReadonlyMap<string, number>;
  /** Each node's outputs in display order. */
  readonly outputs: readonly (readonly string[])[];
  /** Per node, per output position: the edge index leaving through it, or -1. */
  readonly outEdges: readonly (readonly number[])[];
  /** Per node: the indices of the edges entering it, in document order. */
  readonly inEdges: readonly (readonly number[])[];
  /** Per edge: source and target node index (-1 for an edge left out), and output position. */
  readonly edgeSource: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeOutput: Int32Array;
  /** The trigger nodes (a valid flow has exactly one). */
  readonly roots: readonly number[];
}

/** Builds the adjacency of a flow once. */
export function buildGraph(flow: FlowDocument): FlowGraph {
  const nodes = flow.nodes;
  const edges = flow.edges;
  const nodeIndex = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!nodeIndex.has(n.id)) nodeIndex.set(n.id, i);
  });
  const outputs = nodes.map((n) => outputsOf(n));
  const outEdges = outputs.map((outs) => outs.map(() => -1));
  const inEdges: number[][] = nodes.map(() => []);
  const edgeSource = new Int32Array(edges.length).fill(-1);
  const edgeTarget = new Int32Array(edges.length).fill(-1);
  const edgeOutput = new Int32Array(edges.length).fill(-1);
  edges.forEach((e, k) => {
    const s = nodeIndex.get(e.source);
    const t = nodeIndex.get(e.target);
    if (s === undefined || t === undefined) return;
    const o = outputs[s]!.indexOf(e.sourceHandle);
    if (o === -1 || outEdges[s]![o] !== -1) return;
    outEdges[s]![o] = k;
    inEdges[t]!.push(k);
    edgeSource[k] = s;
    edgeTarget[k] = t;
    edgeOutput[k] = o;
  });
  const roots: number[] = [];
  nodes.forEach((n, i) => {
    if (n.type === 'trigger') roots.push(i);
  });
  return { nodes, edges, nodeIndex, outputs, outEdges, inEdges, edgeSource, edgeTarget, edgeOutput, roots };
}

/**
 * The nodes reachable from the roots in reverse postorder of a depth-first
 * search that follows outputs in display order (iterative: deep flows do not
 * overflow the stack). In an acyclic flow every node comes after all nodes
 * that lead to it, so a forward analysis in this order needs one pass.
 */
export function reversePostorder(graph: FlowGraph): number[] {
  const n = graph.nodes.length;
  const seen = new Uint8Array(n);
  const post: number[] = [];
  const stack: number[] = [];
  const next: number[] = [];
  for (const root of graph.roots) {
    if (seen[root]) continue;
    seen[root] = 1;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top]!;
      const outs = graph.outEdges[v]!;
      let pushed = false;
      while (next[top]! < outs.length) {
        const e = outs[next[top]!++]!;
        if (e === -1) continue;
        const w = graph.edgeTarget[e]!;
        if (seen[w]) continue;
        seen[w] = 1;
        stack.push(w);
        next.push(0);
        pushed = true;
        break;
      }
      if (!pushed) {
        post.push(v);
        stack.pop();
        next.pop();
      }
    }
  }
  return post.reverse();
}

/**
 * Strongly connected components of the subgraph whose edges pass `keep`,
 * over the given nodes (Tarjan's algorithm, iterative). Returns each node's
 * component id (-1 for nodes outside `within`) and, per component, whether it
 * contains a cycle (more than one node, or an edge to itself).
 */
export function stronglyConnectedComponents(
  graph: FlowGraph,
  within: readonly number[],
  keep: (edge: number) => boolean,
): { component: Int32Array; cyclic: boolean[] } {
  const n = graph.nodes.length;
  const member = new Uint8Array(n);
  for (const v of within) member[v] = 1;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Int32Array(n).fill(-1);
  const cyclic: boolean[] = [];
  const sccStack: number[] = [];
  const callStack: number[] = [];
  const next: number[] = [];
  let counter = 0;
  const successor = (e: number) => (e !== -1 && keep(e) && member[graph.edgeTarget[e]!] ? graph.edgeTarget[e]! : -1);

  for (const start of within) {
    if (index[start] !== -1) continue;
    index[start] = low[start] = counter++;
    sccStack.push(start);
    onStack[start] = 1;
    callStack.push(start);
    next.push(0);
    while (callStack.length > 0) {
      const top = callStack.length - 1;
      const v = callStack[top]!;
      const outs = graph.outEdges[v]!;
      let descended = false;
      while (next[top]! < outs.length) {
        const w = successor(outs[next[top]!++]!);
        if (w === -1) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callStack.push(w);
          next.push(0);
          descended = true;
          break;
        }
        if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
      }
      if (descended) continue;
      callStack.pop();
      next.pop();
      const parent = callStack[callStack.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[v]!);
      if (low[v] === index[v]) {
        const id = cyclic.length;
        let size = 0;
        let w: number;
        do {
          w = sccStack.pop()!;
          onStack[w] = 0;
          component[w] = id;
          size++;
        } while (w !== v);
        cyclic.push(size > 1 || outs.some((e) => successor(e) === v));
      }
    }
  }
  return { component, cyclic };
}
