import type { Edge, Node } from '@xyflow/react';
import { NODE_CATALOG } from '../flow/catalog';
import type { FlowDocument, FlowEdge, FlowNode } from '../flow/schema';
import type { XY } from './changes';

export type FlowNodeData = { node: FlowNode };
export type CanvasNode = Node<FlowNodeData>;
export type CanvasEdge = Edge<{ edge: FlowEdge }>;

interface View {
  selected: ReadonlySet<string>;
  dragging: Record<string, XY> | null;
  measured: Record<string, { width: number; height: number }>;
}

/**
 * Document → React Flow nodes, keeping each canvas node object while its
 * document node, selection, position and size are unchanged, so React Flow
 * re-renders only what an edit touched (a drag in a 1,000-node flow moves one).
 */
export function createNodeConverter(): (doc: FlowDocument, view: View) => CanvasNode[] {
  let cache = new Map<string, { source: FlowNode; selected: boolean; x: number; y: number; size: unknown; out: CanvasNode }>();
  return (doc, view) => {
    const next = new Map<string, { source: FlowNode; selected: boolean; x: number; y: number; size: unknown; out: CanvasNode }>();
    const out = doc.nodes.map((node) => {
      const selected = view.selected.has(node.id);
      const pos = view.dragging?.[node.id] ?? node.position ?? { x: 0, y: 0 };
      const size = view.measured[node.id];
      const prev = cache.get(node.id);
      if (prev && prev.source === node && prev.selected === selected && prev.x === pos.x && prev.y === pos.y && prev.size === size) {
        next.set(node.id, prev);
        return prev.out;
      }
      const rf: CanvasNode = {
        id: node.id,
        type: node.type,
        position: { x: pos.x, y: pos.y },
        data: { node },
        selected,
        deletable: true,
        ariaLabel: `${NODE_CATALOG[node.type]?.title ?? node.type}: ${node.label ?? node.id}`,
        ...(size ? { measured: size } : {}),
      };
      next.set(node.id, { source: node, selected, x: pos.x, y: pos.y, size, out: rf });
      return rf;
    });
    cache = next;
    return out;
  };
}

/** Document → React Flow edges, keeping unchanged ones (as the node converter). */
export function createEdgeConverter(): (doc: FlowDocument, selected: ReadonlySet<string>) => CanvasEdge[] {
  let cache = new Map<string, { source: FlowEdge; selected: boolean; out: CanvasEdge }>();
  return (doc, selected) => {
    const next = new Map<string, { source: FlowEdge; selected: boolean; out: CanvasEdge }>();
    const out = doc.edges.map((edge) => {
      const isSelected = selected.has(edge.id);
      const prev = cache.get(edge.id);
      if (prev && prev.source === edge && prev.selected === isSelected) {
        next.set(edge.id, prev);
        return prev.out;
      }
      const rf: CanvasEdge = {
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle,
        target: edge.target,
        type: 'flow',
        selected: isSelected,
        data: { edge },
        ariaLabel: `Connection from ${edge.source} (${edge.sourceHandle}) to ${edge.target}`,
      };
      next.set(edge.id, { source: edge, selected: isSelected, out: rf });
      return rf;
    });
    cache = next;
    return out;
  };
}

/** React Flow's graph back to a document (positions from the canvas), for round-trip checks. */
export function fromCanvas(doc: FlowDocument, nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): FlowDocument {
  return {
    ...doc,
    nodes: nodes.map((n) => ({ ...n.data.node, position: { x: n.position.x, y: n.position.y } })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? '', target: e.target })),
  };
}
