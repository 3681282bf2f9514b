import { AppError } from '@/lib/app-error';
import { formatBytes } from '@/lib/bytes';

/**
 * The largest flow Optline takes (docs/flow-format.md, "Limits"): ten times
 * the 1,000 states Twilio Studio allows. The bytes are the request's body,
 * refused (413) while it streams; the steps and edges are counted on the
 * parsed JSON before the schema reads a node (422), so no check, layout or
 * analysis ever runs on more.
 */
export const FLOW_LIMITS = {
  steps: 10_000,
  /** A step has a handful of outputs; five per step on average is far beyond any real flow. */
  edges: 50_000,
  /** The document's JSON (the route wrapper's BODY_LIMITS.flow). */
  bytes: 5 * 1024 * 1024,
} as const;

/** Refuses (422, naming the limit) a document with more steps or edges than FLOW_LIMITS; anything else passes to the schema unchanged. */
export function checkFlowSize(value: unknown, path = ''): void {
  if (typeof value !== 'object' || value === null) return;
  const { nodes, edges } = value as { nodes?: unknown; edges?: unknown };
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (Array.isArray(nodes) && nodes.length > FLOW_LIMITS.steps) {
    throw new AppError(
      'unprocessable',
      `${at('nodes')}: the flow has ${count(nodes.length)} steps; Optline takes flows of up to ${count(FLOW_LIMITS.steps)} steps (and ${formatBytes(FLOW_LIMITS.bytes)})`,
      { path: at('nodes') },
    );
  }
  if (Array.isArray(edges) && edges.length > FLOW_LIMITS.edges) {
    throw new AppError(
      'unprocessable',
      `${at('edges')}: the flow has ${count(edges.length)} edges; Optline takes flows of up to ${count(FLOW_LIMITS.edges)} edges`,
      { path: at('edges') },
    );
  }
}

const count = (n: number) => n.toLocaleString('en-US');
