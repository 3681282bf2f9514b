import { quietHoursOf } from '@/lib/flow/catalog';
import type { Problem } from '@/lib/flow/problem';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';
import { solveDataflow } from './dataflow';
import { factContext, type EdgeFacts } from './facts';
import { buildGraph, reversePostorder } from './graph';
import { findBranchCaseProblems } from './rules/branch-cases';
import { findContentProblems, findSenderIdProblems } from './rules/content';
import { consentRule } from './rules/consent';
import type { EdgeRule, RuleContext } from './rules/edge-rule';
import { frequencyCapRule } from './rules/frequency-cap';
import { findHygieneProblems } from './rules/hygiene';
import { quietHoursRule } from './rules/quiet-hours';
import { findSendLoops } from './rules/send-loop';
import { verifyBeforePayRule } from './rules/verify-before-pay';

export type { EdgeFacts } from './facts';
export type { TimeInterval } from './time-set';

/** What the analyzer found: the problems, the facts on every edge a contact can cross, and the edges errors block. */
export interface FlowAnalysis {
  problems: Problem[];
  /** By edge id; an edge no contact can cross (unreachable, or only past an error) has no entry. */
  edges: Record<string, EdgeFacts>;
  /** Ids of the edges that carry an error, in document order. */
  blockedEdges: string[];
}

/**
 * The analyzer's version. An approval records it (with the hash of the
 * report), and activation and every run start re-check it: change it
 * whenever a rule, its message, its severity or the facts it reads change
 * (`keyword-case` reads classifyReply: a change to the classifier counts),
 * so approvals given under the old rules ask for review again. Format:
 * the date of the change, then a counter for that day.
 */
export const ANALYZER_VERSION = '2026-12-07.2';

/** The rules checked on every edge into a node, in the order their problems are listed. */
const EDGE_RULES: readonly EdgeRule[] = [consentRule, verifyBeforePayRule, quietHoursRule, frequencyCapRule];

/**
 * The static compliance analysis (FLOW_FORMAT.md, "What the analyzer knows
 * on each edge"; COMPLIANCE.md, "Static rules"): a forward data-flow fixpoint
 * over the flow's graph, then the rules on its facts. Pure and linear in the
 * size of the flow; never throws on a document that passed `parseFlow`.
 */
export function analyzeFlow(flow: FlowDocument): FlowAnalysis {
  const quietHours = quietHoursOf(flow.policy);
  const ruleCtx: RuleContext = { quietHours, brand: flow.policy.brand };
  const graph = buildGraph(flow);
  const order = reversePostorder(graph);

  // The rules that concern each node's incoming edges; most nodes have none.
  const rulesByNode = new Map<FlowNode, readonly EdgeRule[]>();
  for (const node of flow.nodes) {
    const rules = EDGE_RULES.filter((r) => r.appliesTo(node, ruleCtx));
    if (rules.length > 0) rulesByNode.set(node, rules);
  }
  const repair = (node: FlowNode, facts: EdgeFacts): EdgeFacts => {
    let out = facts;
    for (const rule of rulesByNode.get(node) ?? []) if (rule.check(node, out, ruleCtx) !== null) out = rule.repair(node, out, ruleCtx);
    return out;
  };
  const { edgeFacts } = solveDataflow(graph, order, factContext(quietHours), repair);

  const problems: Problem[] = [];
  const edges: Record<string, EdgeFacts> = {};
  graph.edges.forEach((edge, e) => {
    const facts = edgeFacts[e];
    if (facts === undefined) return;
    edges[edge.id] = facts;
    const target = graph.nodes[graph.edgeTarget[e]!]!;
    for (const rule of rulesByNode.get(target) ?? []) {
      const message = rule.check(target, facts, ruleCtx);
      if (message !== null) problems.push({ rule: rule.rule, severity: 'error', nodeId: target.id, edgeId: edge.id, message });
    }
  });
  problems.push(...findSendLoops(graph, order), ...findContentProblems(flow));

  const reachable = new Uint8Array(graph.nodes.length);
  for (const v of order) reachable[v] = 1;
  problems.push(
    ...findSenderIdProblems(graph, edgeFacts, flow.policy.brand),
    ...findHygieneProblems(graph, reachable),
    ...findBranchCaseProblems(flow),
  );

  const blocked = new Set(problems.filter((p) => p.severity === 'error' && p.edgeId !== undefined).map((p) => p.edgeId!));
  return {
    problems: [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity === 'warning')],
    edges,
    blockedEdges: flow.edges.filter((e) => blocked.has(e.id)).map((e) => e.id),
  };
}
