import type { QuietHoursPolicy } from '@/lib/compliance/policy-window';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import type { RuleId } from '@/lib/flow/problem';
import type { FlowNode } from '@/lib/flow/schema';
import type { EdgeFacts } from '@/lib/flow/analyze/facts';

export interface RuleContext {
  quietHours: QuietHoursPolicy;
  brand: string;
}

/**
 * A rule about the edges into a node: it fails on an edge when the facts there
 * do not allow the node (COMPLIANCE.md, "Static rules"). A failing edge is
 * blocked, and `repair` gives the facts as if the fix the message asks for
 * were made, so the analysis goes on past it without repeating the finding.
 */
export interface EdgeRule {
  readonly rule: RuleId;
  /** Whether the rule concerns edges into `node` at all (asked once per node). */
  appliesTo(node: FlowNode, ctx: RuleContext): boolean;
  /** Why an edge with these facts may not lead into `node`, or null when it may. */
  check(node: FlowNode, facts: EdgeFacts, ctx: RuleContext): string | null;
  /** The facts past the edge once it is fixed; only called when `check` fails. */
  repair(node: FlowNode, facts: EdgeFacts, ctx: RuleContext): EdgeFacts;
}

/** How messages name a node: its label, else its type's title and id. */
export function nodeName(node: FlowNode): string {
  return node.label ? `"${node.label}"` : `${NODE_CATALOG[node.type].title} "${node.id}"`;
}
