import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';

/**
 * The document in the exported key order (FLOW_FORMAT.md's example): flow
 * fields, then each node as id, type, label, position, data, and each edge as
 * id, source, sourceHandle, target. Fields that are absent stay absent, so
 * parsing the export gives back this very document.
 */
export function canonicalFlow(doc: FlowDocument): FlowDocument {
  const out: Record<string, unknown> = { schemaVersion: doc.schemaVersion, id: doc.id, name: doc.name };
  if (doc.description !== undefined) out.description = doc.description;
  out.policy =
    doc.policy.quietHours === undefined ? { brand: doc.policy.brand } : { brand: doc.policy.brand, quietHours: doc.policy.quietHours };
  out.nodes = doc.nodes.map(canonicalNode);
  out.edges = doc.edges.map(canonicalEdge);
  return out as FlowDocument;
}

function canonicalNode(node: FlowNode): FlowNode {
  const out: Record<string, unknown> = { id: node.id, type: node.type };
  if (node.label !== undefined) out.label = node.label;
  if (node.position !== undefined) out.position = { x: node.position.x, y: node.position.y };
  if (node.data !== undefined) out.data = node.data;
  return out as FlowNode;
}

function canonicalEdge(edge: FlowEdge): FlowEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourceHandle, target: edge.target };
}

/** The exported file: canonical JSON, two-space indent, one trailing newline — what `optline validate` reads. */
export function serializeFlow(doc: FlowDocument): string {
  return `${JSON.stringify(canonicalFlow(doc), null, 2)}\n`;
}

/** A file name for the export: `<flow id>.flow.json`. */
export function exportFileName(doc: FlowDocument): string {
  return `${doc.id}.flow.json`;
}
