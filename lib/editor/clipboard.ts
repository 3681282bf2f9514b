import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';
import { newEdgeId } from './defaults';

/** What copy puts aside: the selected nodes and the edges between them. */
export interface Clipboard {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The selected nodes and every edge whose both ends are selected. */
export function copySelection(doc: FlowDocument, nodeIds: readonly string[]): Clipboard {
  const ids = new Set(nodeIds);
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)),
    edges: doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/**
 * The clipboard's nodes and edges with fresh ids (`send-1` → `send-1-copy`),
 * moved by `offset`; a pasted Start is left out (a flow has one).
 */
export function pasteClipboard(doc: FlowDocument, clip: Clipboard, offset = { x: 40, y: 40 }): Clipboard {
  const taken = new Set(doc.nodes.map((n) => n.id));
  const rename = new Map<string, string>();
  const hasTrigger = doc.nodes.some((n) => n.type === 'trigger');
  const nodes: FlowNode[] = [];
  for (const node of clip.nodes) {
    if (node.type === 'trigger' && hasTrigger) continue;
    let id = `${node.id}-copy`.slice(0, 64);
    for (let n = 2; taken.has(id); n++) id = `${node.id.slice(0, 56)}-copy-${n}`;
    taken.add(id);
    rename.set(node.id, id);
    const position = node.position ?? { x: 0, y: 0 };
    nodes.push({ ...structuredClone(node), id, position: { x: position.x + offset.x, y: position.y + offset.y } });
  }
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const edges: FlowEdge[] = [];
  for (const e of clip.edges) {
    const source = rename.get(e.source);
    const target = rename.get(e.target);
    if (!source || !target) continue;
    const id = newEdgeId(edgeIds, source, e.sourceHandle);
    edgeIds.add(id);
    edges.push({ id, source, sourceHandle: e.sourceHandle, target });
  }
  return { nodes, edges };
}
