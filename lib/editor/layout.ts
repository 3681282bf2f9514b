import type { FlowDocument } from '@/lib/flow/schema';
import type { XY } from './changes';
import { safeOutputs } from './connection';
import { NODE_HEIGHT, NODE_WIDTH } from './sizes';

/** Sizes the canvas measured, by node id; a node not in it is laid out at NODE_WIDTH × NODE_HEIGHT. */
export type MeasuredSizes = Readonly<Record<string, { width: number; height: number }>>;

/** Where the layout put every node, and which edges close a loop (drawn back up the flow). */
export interface FlowLayout {
  positions: Record<string, XY>;
  loopEdges: string[];
}

/** Horizontal space between two steps of one rank. */
const NODE_GAP = 40;
/** Vertical space between two ranks. */
const RANK_GAP = 70;

/**
 * A layered layout, top to bottom, whose cost grows about linearly with the
 * flow (docs/architecture.md, "Layout"):
 *
 * 1. Loops: a depth-first walk from the triggers, outputs in handle order;
 *    an edge back to a step still on the walk closes a loop and is left out
 *    of the ranking (a retry loop is drawn back up).
 * 2. Ranks: the longest path from a step with no way in, so every other edge
 *    points down; a step that starts nowhere sits just above its first target.
 * 3. Order and x, rank by rank downwards: each step wants to sit under the
 *    mean of its sources; a rank is sorted by that wish (steps hanging from
 *    one source in the order of its outputs) and packed without overlaps,
 *    each step as near its wish as the order allows (pool-adjacent-violators,
 *    linear in the rank), so siblings centre under their source and a chain
 *    runs straight down.
 *
 * An edge that spans many ranks (every block's way into a shared End) gets no
 * dummy step per rank it crosses, which is what made dagre's cost explode:
 * a shared sink is one step, placed once, and the work is O(edges + steps ×
 * log(rank width)). The trade: long edges may cross steps; the editor draws
 * them as curves, and the user can move what bothers them.
 *
 * `onProgress` hears the share done (0 to 1) now and then.
 */
export function layoutFlow(doc: FlowDocument, measured: MeasuredSizes = {}, onProgress?: (done: number) => void): FlowLayout {
  const n = doc.nodes.length;
  const index = new Map<string, number>();
  doc.nodes.forEach((node, i) => index.set(node.id, i));
  const width = doc.nodes.map((node) => measured[node.id]?.width ?? NODE_WIDTH);
  const height = doc.nodes.map((node) => measured[node.id]?.height ?? NODE_HEIGHT);

  // Out-edges per node in handle order (a handle the node no longer has goes last, in document order).
  type Out = { edge: number; target: number; handle: number; handles: number };
  const outs: Out[][] = Array.from({ length: n }, () => []);
  const outputs = doc.nodes.map((node) => safeOutputs(node));
  doc.edges.forEach((e, edge) => {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) return;
    const handles = outputs[s]!.length;
    const at = outputs[s]!.indexOf(e.sourceHandle);
    outs[s]!.push({ edge, target: t, handle: at < 0 ? handles : at, handles: Math.max(1, handles) });
  });
  for (const list of outs) list.sort((a, b) => a.handle - b.handle || a.edge - b.edge);
  onProgress?.(0.1);

  // 1. Loops, by an iterative depth-first walk (a 10,000-step chain must not overflow the stack).
  const isLoop = new Uint8Array(doc.edges.length);
  const state = new Uint8Array(n); // 0 unseen, 1 on the walk, 2 done
  const seen: number[] = [];
  const hasIn = new Uint8Array(n);
  for (const list of outs) for (const o of list) hasIn[o.target] = 1;
  const roots = [
    ...doc.nodes.flatMap((node, i) => (node.type === 'trigger' ? [i] : [])),
    ...doc.nodes.flatMap((node, i) => (node.type !== 'trigger' && !hasIn[i] ? [i] : [])),
    ...doc.nodes.map((_, i) => i),
  ];
  const stack: { node: number; next: number }[] = [];
  for (const root of roots) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    seen.push(root);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const o = outs[top.node]![top.next++];
      if (!o) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      if (state[o.target] === 1) isLoop[o.edge] = 1;
      else if (state[o.target] === 0) {
        state[o.target] = 1;
        seen.push(o.target);
        stack.push({ node: o.target, next: 0 });
      }
    }
  }
  const order = new Int32Array(n); // when the walk first reached each step: the tie-break everywhere
  seen.forEach((node, i) => (order[node] = i));
  onProgress?.(0.25);

  // 2. Ranks: longest path over the edges that close no loop, in topological order (Kahn).
  const ins: { source: number; handle: number; handles: number }[][] = Array.from({ length: n }, () => []);
  const waiting = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    for (const o of outs[s]!) {
      if (isLoop[o.edge]) continue;
      ins[o.target]!.push({ source: s, handle: o.handle, handles: o.handles });
      waiting[o.target]!++;
    }
  }
  const rank = new Int32Array(n);
  const topo: number[] = seen.filter((i) => waiting[i] === 0);
  for (let head = 0; head < topo.length; head++) {
    const s = topo[head]!;
    for (const o of outs[s]!) {
      if (isLoop[o.edge]) continue;
      rank[o.target] = Math.max(rank[o.target]!, rank[s]! + 1);
      if (--waiting[o.target]! === 0) topo.push(o.target);
    }
  }
  // A step nothing leads to (other than a trigger) sits just above the first step it leads to.
  for (let k = topo.length - 1; k >= 0; k--) {
    const s = topo[k]!;
    if (ins[s]!.length > 0 || doc.nodes[s]!.type === 'trigger') continue;
    let below = Infinity;
    for (const o of outs[s]!) if (!isLoop[o.edge]) below = Math.min(below, rank[o.target]!);
    if (below !== Infinity) rank[s] = Math.max(0, below - 1);
  }
  // How far each step's way goes on below it (the longest path to a step with no way out): the weight it has when a rank is packed.
  const reach = new Float64Array(n);
  for (let k = topo.length - 1; k >= 0; k--) {
    const s = topo[k]!;
    for (const o of outs[s]!) if (!isLoop[o.edge]) reach[s] = Math.max(reach[s]!, reach[o.target]! + 1);
  }
  let ranks = 0;
  for (let i = 0; i < n; i++) ranks = Math.max(ranks, rank[i]! + 1);
  const layers: number[][] = Array.from({ length: ranks }, () => []);
  for (const i of seen) layers[rank[i]!]!.push(i);
  onProgress?.(0.4);

  // 3. Order and x, rank by rank: each step's wish is the mean of its sources' centres.
  const x = new Float64Array(n); // centres
  const wish = new Float64Array(n);
  const side = new Float64Array(n); // left of centre (< 0) or right (> 0) among its source's outputs
  const every = Math.max(1, Math.floor(ranks / 20));
  for (let r = 0; r < ranks; r++) {
    const layer = layers[r]!;
    let roots = 0;
    for (const v of layer) {
      const from = ins[v]!;
      if (from.length === 0) {
        // Side by side from 0, in the order the walk found them.
        wish[v] = roots++ * (NODE_WIDTH + NODE_GAP);
        continue;
      }
      let sum = 0;
      let sides = 0;
      for (const e of from) {
        sum += x[e.source]!;
        sides += e.handle - (e.handles - 1) / 2;
      }
      wish[v] = sum / from.length;
      side[v] = sides / from.length;
    }
    // Siblings wish for the same place: their outputs' order decides, and packing centres them under their source.
    layer.sort((a, b) => wish[a]! - wish[b]! || side[a]! - side[b]! || order[a]! - order[b]!);
    packInOrder(layer, wish, reach, width, x);
    if (r % every === 0) onProgress?.(0.4 + (0.55 * r) / ranks);
  }

  // y: each rank as tall as its tallest step.
  const positions: Record<string, XY> = {};
  let top = 0;
  for (const layer of layers) {
    let tallest = 0;
    for (const v of layer) {
      positions[doc.nodes[v]!.id] = { x: Math.round(x[v]! - width[v]! / 2), y: top };
      tallest = Math.max(tallest, height[v]!);
    }
    top += tallest + RANK_GAP;
  }
  onProgress?.(1);
  return { positions, loopEdges: doc.edges.flatMap((e, i) => (isLoop[i] ? [e.id] : [])) };
}

/**
 * Places a rank's steps (in this order) as near their wished centres as can
 * be with NODE_GAP between neighbours: the weighted least-squares answer, by
 * pool-adjacent-violators over the wishes shifted by each step's offset from
 * the first. A step weighs 1 + how far its way goes on below it, so where
 * neighbours crowd, an End or a short branch gives way to the step the flow
 * carries on from, and a long chain keeps running straight down instead of
 * drifting a little sideways at every branch.
 */
function packInOrder(layer: readonly number[], wish: Float64Array, reach: Float64Array, width: readonly number[], x: Float64Array): void {
  const offset = new Float64Array(layer.length);
  for (let i = 1; i < layer.length; i++) offset[i] = offset[i - 1]! + (width[layer[i - 1]!]! + width[layer[i]!]!) / 2 + NODE_GAP;
  // Blocks of neighbours that sit shoulder to shoulder: their weighted wishes, weight and size.
  const sums: number[] = [];
  const weights: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < layer.length; i++) {
    const w = 1 + reach[layer[i]!]!;
    let sum = w * (wish[layer[i]!]! - offset[i]!);
    let weight = w;
    let size = 1;
    while (sums.length > 0 && sums[sums.length - 1]! / weights[weights.length - 1]! >= sum / weight) {
      sum += sums.pop()!;
      weight += weights.pop()!;
      size += sizes.pop()!;
    }
    sums.push(sum);
    weights.push(weight);
    sizes.push(size);
  }
  let i = 0;
  for (let b = 0; b < sums.length; b++) {
    const base = sums[b]! / weights[b]!;
    for (let k = 0; k < sizes[b]!; k++, i++) x[layer[i]!] = base + offset[i]!;
  }
}

/** Positions for every node, top to bottom along the edges (layoutFlow), with the outputs of a node ordered left to right as their handles are. */
export function layoutPositions(doc: FlowDocument, measured: MeasuredSizes = {}): Record<string, XY> {
  return layoutFlow(doc, measured).positions;
}

/** Whether any step of the document lacks a position (an import may leave them out). */
export function lacksPositions(doc: FlowDocument): boolean {
  return doc.nodes.some((n) => !n.position);
}

/** The document with a position on every node: laid out when any is missing (import allows that). */
export function withPositions(
  doc: FlowDocument,
  positions: Record<string, XY> = lacksPositions(doc) ? layoutPositions(doc) : {},
): FlowDocument {
  if (!lacksPositions(doc)) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (n.position ? n : { ...n, position: positions[n.id] ?? { x: 0, y: 0 } })) };
}

/** A plain grid in document order (a square of steps): where the editor puts steps when the layout cannot run. */
export function gridPositions(doc: FlowDocument, measured: MeasuredSizes = {}): Record<string, XY> {
  const columns = Math.max(1, Math.ceil(Math.sqrt(doc.nodes.length)));
  const cellWidth = Math.max(NODE_WIDTH, ...doc.nodes.map((n) => measured[n.id]?.width ?? 0)) + NODE_GAP;
  const cellHeight = Math.max(NODE_HEIGHT, ...doc.nodes.map((n) => measured[n.id]?.height ?? 0)) + RANK_GAP;
  return Object.fromEntries(doc.nodes.map((n, i) => [n.id, { x: (i % columns) * cellWidth, y: Math.floor(i / columns) * cellHeight }]));
}
