import type { FlowNode } from '@/lib/flow/schema';
import { START_FACTS, WORST_FACTS, factsEqual, joinFacts, transfer, widenFacts, type EdgeFacts, type FactContext } from './facts';
import type { FlowGraph } from './graph';

/** Rounds at one node before a still-growing time set is widened to the whole day. */
export const WIDEN_AFTER_VISITS = 4;
/** Rounds at one node before its facts fall back to the least permissive (a guaranteed stop; real flows settle long before). */
export const GIVE_UP_AFTER_VISITS = 64;

/**
 * The facts a node's incoming edge passes on. An edge that breaks a rule is
 * reported once; beyond it the analysis continues as if the rule held there
 * (the fix the message asks for), so one mistake is not reported again at
 * every text after it. A flow with any error proves nothing, so this hides
 * no unsafe run.
 */
export type RepairEdge = (target: FlowNode, facts: EdgeFacts) => EdgeFacts;

export interface DataflowResult {
  /** Per edge index: the facts on it, or undefined when no contact can cross it. */
  edgeFacts: (EdgeFacts | undefined)[];
}

/** A binary min-heap of node positions in reverse postorder: the next node to visit is the earliest in flow order. */
class Worklist {
  private heap: number[] = [];
  private queued: Uint8Array;
  constructor(size: number) {
    this.queued = new Uint8Array(size);
  }
  push(pos: number): void {
    if (this.queued[pos]) return;
    this.queued[pos] = 1;
    const h = this.heap;
    h.push(pos);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]! <= pos) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = pos;
  }
  pop(): number | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r]! < h[l]! ? r : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    this.queued[top] = 0;
    return top;
  }
}

/**
 * The forward data-flow fixpoint over the reachable nodes (`order`: reverse
 * postorder). A node's input is the join of its incoming edges' facts
 * (repaired); its transfer gives each output edge's facts; a node is visited
 * again only when an input changed. Acyclic flows settle in one pass; loops
 * stop through widening.
 */
export function solveDataflow(graph: FlowGraph, order: readonly number[], ctx: FactContext, repair: RepairEdge): DataflowResult {
  const n = graph.nodes.length;
  const position = new Int32Array(n).fill(-1);
  order.forEach((v, i) => {
    position[v] = i;
  });
  const isRoot = new Uint8Array(n);
  for (const r of graph.roots) isRoot[r] = 1;
  const edgeFacts: (EdgeFacts | undefined)[] = new Array(graph.edges.length);
  const inputs: (EdgeFacts | undefined)[] = new Array(n);
  const visits = new Uint16Array(n);
  const work = new Worklist(order.length);
  for (const r of graph.roots) if (position[r]! >= 0) work.push(position[r]!);

  for (let pos = work.pop(); pos !== undefined; pos = work.pop()) {
    const v = order[pos]!;
    const node = graph.nodes[v]!;
    let input: EdgeFacts | undefined = isRoot[v] ? START_FACTS : undefined;
    for (const e of graph.inEdges[v]!) {
      const f = edgeFacts[e];
      if (f === undefined) continue;
      const repaired = repair(node, f);
      input = input === undefined ? repaired : joinFacts(input, repaired);
    }
    if (input === undefined) continue;
    const previous = inputs[v];
    if (previous !== undefined) {
      // Joined with what was already known, a node's input only ever grows, so each node settles.
      const count = ++visits[v]!;
      const joined = joinFacts(previous, input);
      if (count >= GIVE_UP_AFTER_VISITS) input = WORST_FACTS;
      else if (count >= WIDEN_AFTER_VISITS) input = widenFacts(previous, joined);
      else input = joined;
      if (factsEqual(previous, input)) continue;
    }
    inputs[v] = input;
    const outs = transfer(node, input, ctx);
    const outEdges = graph.outEdges[v]!;
    for (let o = 0; o < outEdges.length; o++) {
      const e = outEdges[o]!;
      if (e === -1) continue;
      const f = outs[o]!;
      const old = edgeFacts[e];
      if (old !== undefined && factsEqual(old, f)) continue;
      edgeFacts[e] = f;
      const target = position[graph.edgeTarget[e]!]!;
      if (target >= 0) work.push(target);
    }
  }
  return { edgeFacts };
}
