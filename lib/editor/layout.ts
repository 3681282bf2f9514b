import dagre from '@dagrejs/dagre';
import type { FlowDocument } from '@/lib/flow/schema';
import type { XY } from './changes';
import { safeOutputs } from './connection';

import { NODE_HEIGHT, NODE_WIDTH } from './sizes';

/**
 * Positions for every node, top to bottom along the edges (dagre), with the
 * outputs of a node ordered left to right as their handles are.
 */
export function layoutPositions(
  doc: FlowDocument,
  measured: Readonly<Record<string, { width: number; height: number }>> = {},
): Record<string, XY> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 70, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of doc.nodes)
    g.setNode(node.id, { width: measured[node.id]?.width ?? NODE_WIDTH, height: measured[node.id]?.height ?? NODE_HEIGHT });
  const ids = new Set(doc.nodes.map((n) => n.id));
  const order = new Map(doc.nodes.map((n) => [n.id, safeOutputs(n)]));
  const edges = doc.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .sort((a, b) => (order.get(a.source)?.indexOf(a.sourceHandle) ?? 0) - (order.get(b.source)?.indexOf(b.sourceHandle) ?? 0));
  for (const e of edges) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  const out: Record<string, XY> = {};
  for (const node of doc.nodes) {
    const p = g.node(node.id);
    out[node.id] = { x: Math.round(p.x - p.width / 2), y: Math.round(p.y - p.height / 2) };
  }
  return out;
}

/** The document with a position on every node: laid out when any is missing (import allows that). */
export function withPositions(doc: FlowDocument): FlowDocument {
  if (doc.nodes.every((n) => n.position)) return doc;
  const positions = layoutPositions(doc);
  return { ...doc, nodes: doc.nodes.map((n) => (n.position ? n : { ...n, position: positions[n.id]! })) };
}
