import type { FlowDocument, FlowEdge, FlowNode, FlowPolicy } from '@/lib/flow/schema';
import { connectionRefusal, safeOutputs, type ConnectionRequest } from './connection';
import { newEdgeId } from './defaults';

export type XY = { x: number; y: number };

/**
 * Every edit of the document is one of these (as xyflow's NodeChange /
 * EdgeChange): undo/redo, the dirty flag and saving all read the one history
 * of documents these produce.
 */
export type EditorChange =
  | { type: 'add'; nodes: FlowNode[]; edges?: FlowEdge[] }
  | { type: 'remove'; nodeIds?: string[]; edgeIds?: string[] }
  | { type: 'move'; positions: Record<string, XY> }
  | { type: 'connect'; connection: ConnectionRequest }
  /** `renamed`: an output renamed by this change (a Branch case's name); its connection follows it. */
  | { type: 'update-data'; nodeId: string; data: unknown; renamed?: { from: string; to: string } }
  | { type: 'update-label'; nodeId: string; label: string | undefined }
  | { type: 'update-flow'; name?: string; description?: string | undefined; policy?: FlowPolicy };

export type ChangeResult = { doc: FlowDocument; refusal?: undefined } | { doc: FlowDocument; refusal: string };

/** Applies one change; returns the same document object when nothing changes, and a hint when a change is refused. */
export function applyChange(doc: FlowDocument, change: EditorChange): ChangeResult {
  switch (change.type) {
    case 'add': {
      if (change.nodes.length === 0 && !change.edges?.length) return { doc };
      const ids = new Set(doc.nodes.map((n) => n.id));
      for (const n of change.nodes) if (ids.has(n.id)) return { doc, refusal: `There is already a step with the id "${n.id}".` };
      let next: FlowDocument = { ...doc, nodes: [...doc.nodes, ...change.nodes] };
      for (const e of change.edges ?? []) {
        const r = applyChange(next, { type: 'connect', connection: e });
        if (r.refusal === undefined) next = r.doc;
      }
      return { doc: next };
    }
    case 'remove': {
      const nodeIds = new Set(change.nodeIds ?? []);
      const edgeIds = new Set(change.edgeIds ?? []);
      const nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
      const edges = doc.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
      if (nodes.length === doc.nodes.length && edges.length === doc.edges.length) return { doc };
      return { doc: { ...doc, nodes, edges } };
    }
    case 'move': {
      let changed = false;
      const nodes = doc.nodes.map((n) => {
        const p = change.positions[n.id];
        if (!p || (n.position && n.position.x === p.x && n.position.y === p.y)) return n;
        changed = true;
        return { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } };
      });
      return changed ? { doc: { ...doc, nodes } } : { doc };
    }
    case 'connect': {
      const refusal = connectionRefusal(doc, change.connection);
      if (refusal) return { doc, refusal };
      const { source, sourceHandle, target } = change.connection;
      const existing = doc.edges.find((e) => e.source === source && e.sourceHandle === sourceHandle);
      if (existing?.target === target) return { doc };
      // One edge per output (FLOW_FORMAT.md): a new connection replaces the old one, keeping its place and id.
      if (existing) return { doc: { ...doc, edges: doc.edges.map((e) => (e === existing ? { ...e, target } : e)) } };
      const id = newEdgeId(new Set(doc.edges.map((e) => e.id)), source, sourceHandle);
      return { doc: { ...doc, edges: [...doc.edges, { id, source, sourceHandle, target }] } };
    }
    case 'update-data': {
      const nodes = doc.nodes.map((n) => {
        if (n.id !== change.nodeId) return n;
        const next = { ...n } as Record<string, unknown>;
        if (change.data === undefined) delete next.data;
        else next.data = change.data;
        return next as FlowNode;
      });
      const node = nodes.find((n) => n.id === change.nodeId);
      if (!node) return { doc };
      // A renamed output keeps its connection; outputs can disappear (a split case removed, notice mode): their edges go with them.
      const outputs = new Set(safeOutputs(node));
      const { renamed } = change;
      const follows =
        renamed &&
        renamed.from !== renamed.to &&
        outputs.has(renamed.to) &&
        !outputs.has(renamed.from) &&
        !doc.edges.some((e) => e.source === change.nodeId && e.sourceHandle === renamed.to);
      let moved = false;
      const kept = doc.edges.map((e) => {
        if (!follows || e.source !== change.nodeId || e.sourceHandle !== renamed.from) return e;
        moved = true;
        return { ...e, sourceHandle: renamed.to };
      });
      const edges = kept.filter((e) => e.source !== change.nodeId || outputs.has(e.sourceHandle));
      return { doc: { ...doc, nodes, edges: !moved && edges.length === doc.edges.length ? doc.edges : edges } };
    }
    case 'update-label': {
      const nodes = doc.nodes.map((n) => {
        if (n.id !== change.nodeId) return n;
        const { label: _old, ...rest } = n;
        const label = change.label?.trim() ? change.label : undefined;
        return (label === undefined ? rest : withLabel(rest as FlowNode, label)) as FlowNode;
      });
      return { doc: { ...doc, nodes } };
    }
    case 'update-flow': {
      const next: FlowDocument = { ...doc };
      if (change.name !== undefined) next.name = change.name;
      if ('description' in change) {
        if (change.description?.trim()) next.description = change.description;
        else delete next.description;
      }
      if (change.policy) next.policy = change.policy;
      return { doc: next };
    }
    default: {
      const unreachable: never = change;
      return unreachable;
    }
  }
}

// Label goes after type in the exported key order; serialize.ts orders keys anyway.
function withLabel(node: FlowNode, label: string): FlowNode {
  return { ...node, label };
}
