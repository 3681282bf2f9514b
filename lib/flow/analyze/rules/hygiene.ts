import type { Problem } from '@/lib/flow/problem';
import type { FlowGraph } from '@/lib/flow/analyze/graph';
import { nodeName } from './edge-rule';

/**
 * Warnings about the shape of a flow: nodes no run can reach, and outputs of
 * reachable nodes that lead nowhere (a run taking one simply ends).
 */
export function findHygieneProblems(graph: FlowGraph, reachable: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  graph.nodes.forEach((node, v) => {
    if (!reachable[v]) {
      if (node.type !== 'trigger') {
        problems.push({
          rule: 'unreachable-node',
          severity: 'warning',
          nodeId: node.id,
          message: `${nodeName(node)} can never be reached from the start. Connect it or delete it.`,
        });
      }
      return;
    }
    graph.outEdges[v]!.forEach((e, o) => {
      if (e !== -1) return;
      const output = graph.outputs[v]![o]!;
      problems.push({
        rule: 'unconnected-output',
        severity: 'warning',
        nodeId: node.id,
        message: `The "${output}" output of ${nodeName(node)} is not connected: a run that takes it ends there.`,
      });
    });
  });
  return problems;
}
