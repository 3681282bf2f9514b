import { checkOptinDisclosures, describeMissingDisclosures, findCardDataRequests } from '@/lib/compliance/content-rules';
import { segmentWarning } from '@/lib/compliance/segments';
import { isSendingNode, templatesOf } from '@/lib/flow/catalog';
import { formatPath, type Problem } from '@/lib/flow/problem';
import type { FlowDocument } from '@/lib/flow/schema';
import type { EdgeFacts } from '@/lib/flow/analyze/facts';
import type { FlowGraph } from '@/lib/flow/analyze/graph';
import { nodeName } from './edge-rule';

function fieldPath(nodeIndex: number, field: string): string {
  return formatPath(['nodes', nodeIndex, 'data', ...field.split('.')]);
}

/**
 * The content rules of COMPLIANCE.md, checked once on every template of every
 * node (reachable or not: a template is content the sender wrote):
 * `optin-disclosures` on opt-in requests, `no-card-data` on every template,
 * and the `segments` warning on every message body.
 */
export function findContentProblems(flow: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  const brand = flow.policy.brand;
  // Each distinct text is checked once: big flows repeat the same texts in many steps.
  const cardData = memoByText(findCardDataRequests);
  const segments = memoByText(segmentWarning);
  flow.nodes.forEach((node, i) => {
    if (node.type === 'consent.request') {
      const { purpose, mode, body } = node.data;
      const { missing } = checkOptinDisclosures({ body, purpose, mode, brand });
      if (missing.length > 0) {
        problems.push({
          rule: 'optin-disclosures',
          severity: 'error',
          nodeId: node.id,
          path: fieldPath(i, 'body'),
          message: describeMissingDisclosures(missing, { purpose, mode, brand }),
        });
      }
    }
    for (const { field, text } of templatesOf(node)) {
      for (const found of cardData(text)) {
        problems.push({ rule: 'no-card-data', severity: 'error', nodeId: node.id, path: fieldPath(i, field), message: found.message });
      }
      if (field === 'body' && isSendingNode(node)) {
        const warning = segments(text);
        if (warning)
          problems.push({ rule: 'segments', severity: 'warning', nodeId: node.id, path: fieldPath(i, field), message: warning.message });
      }
    }
  });
  return problems;
}

/** `check` remembering its answer for each text, for one analysis. */
function memoByText<T>(check: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text)!;
    const answer = check(text);
    answers.set(text, answer);
    return answer;
  };
}

/**
 * `sender-id` (warning): a text that can be the first one a contact gets from
 * the flow should name the sender (CTIA: the sender is identified).
 */
export function findSenderIdProblems(graph: FlowGraph, edgeFacts: readonly (EdgeFacts | undefined)[], brand: string): Problem[] {
  const problems: Problem[] = [];
  const needle = brand.trim().toLowerCase();
  graph.nodes.forEach((node, v) => {
    if (!isSendingNode(node) || node.data.body.toLowerCase().includes(needle)) return;
    const first = graph.inEdges[v]!.some((e) => edgeFacts[e] !== undefined && !edgeFacts[e]!.textSent);
    if (!first) return;
    problems.push({
      rule: 'sender-id',
      severity: 'warning',
      nodeId: node.id,
      path: fieldPath(v, 'body'),
      message: `${nodeName(node)} can be the first text a contact gets from this flow, and it does not name the sender "${brand}". Start it with the name, e.g. "${brand}: …".`,
    });
  });
  return problems;
}
