import { NODE_CATALOG, outputsOf } from '@/lib/flow/catalog';
import type { FlowDocument } from '@/lib/flow/schema';

/** A connection the user asks for: an output of one node into another. */
export interface ConnectionRequest {
  source: string;
  sourceHandle: string;
  target: string;
}

/** Why a connection is refused, as a hint the user can act on; null when it is allowed. */
export function connectionRefusal(doc: FlowDocument, c: ConnectionRequest): string | null {
  const source = doc.nodes.find((n) => n.id === c.source);
  const target = doc.nodes.find((n) => n.id === c.target);
  if (!source || !target) return 'Both ends of a connection must be steps on the canvas.';
  if (source.type === 'end') return 'An End step finishes the run: nothing can follow it. Connect from another step.';
  if (target.type === 'trigger') return 'Nothing can lead into the Start step: it is where every run begins.';
  if (c.source === c.target) return 'A step cannot lead to itself. Add a wait or a question in between.';
  const outputs = safeOutputs(source);
  if (!outputs.includes(c.sourceHandle)) {
    return `"${c.sourceHandle}" is not an output of ${NODE_CATALOG[source.type].title}; use ${outputs.join(', ') || 'none'}.`;
  }
  return null;
}

/** A node's outputs, or none when its data is mid-edit and cannot say. */
export function safeOutputs(node: FlowDocument['nodes'][number]): string[] {
  try {
    return outputsOf(node);
  } catch {
    return [];
  }
}
