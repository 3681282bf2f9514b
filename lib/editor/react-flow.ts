import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { safeOutputs } from './connection';
import { NODE_HEIGHT, NODE_WIDTH } from './sizes';
import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';
import type { XY } from './changes';

export type FlowNodeData = { node: FlowNode };
export type CanvasNode = Node<FlowNodeData>;
export type CanvasEdge = Edge<{ edge: FlowEdge }>;

interface View {
  selected: ReadonlySet<string>;
  dragging: Record<string, XY> | null;
  measured: Record<string, { width: number; height: number }>;
  /** Give steps not measured yet an estimated size and handles (for a canvas that draws only what is in view). */
  estimate?: boolean;
}

/**
 * The size assumed for a step the browser has not measured yet. React Flow
 * draws every step it knows no size and handles for, so a 1,000-step flow
 * would build all 1,000 cards before it could leave the off-screen ones out;
 * with an estimate it draws only those in view, measures them, and uses the
 * real size from then on. The half pixel keeps the estimate from ever equalling
 * a measured size (the browser measures whole pixels), so the first
 * measurement always replaces it, handles included.
 */
export const ESTIMATED_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT + 0.5 };

/** Where a card's handles sit before it is measured: the input centred on top, the outputs spread along the bottom. */
export function estimatedHandles(node: FlowNode): NodeHandle[] {
  const { width, height } = ESTIMATED_SIZE;
  const handles: NodeHandle[] =
    node.type === 'trigger' ? [] : [{ type: 'target', position: Position.Top, x: width / 2 - 5, y: -5, width: 10, height: 10 }];
  const outputs = safeOutputs(node);
  outputs.forEach((id, i) => {
    handles.push({
      id,
      type: 'source',
      position: Position.Bottom,
      x: ((i + 0.5) / outputs.length) * width - 5,
      y: height - 5,
      width: 10,
      height: 10,
    });
  });
  return handles;
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
        ...(size ? { measured: size } : view.estimate ? { measured: ESTIMATED_SIZE, handles: estimatedHandles(node) } : {}),
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
