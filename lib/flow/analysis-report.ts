import { analyzeFlow, ANALYZER_VERSION } from './analyze/index';
import type { Problem } from './problem';
import type { FlowDocument } from './schema';

/** A problem in a review's report, with the key a reviewer acknowledges it by. */
export interface ReportProblem extends Problem {
  /** Stable across analyses of the same document: rule, then the edge, node or field it concerns. */
  key: string;
}

/**
 * What a reviewer sees and what an approval is bound to: the analyzer's
 * version, its errors and warnings (each with a stable key) and the edges
 * errors block. The per-edge facts are left out: they are the analyzer's
 * working, not its findings (a change to them that changes no finding still
 * changes ANALYZER_VERSION, which breaks the binding anyway).
 */
export interface AnalysisReport {
  analyzerVersion: string;
  errors: ReportProblem[];
  warnings: ReportProblem[];
  blockedEdges: string[];
}

/** The review report of a valid flow document under the current analyzer. */
export function analysisReport(flow: FlowDocument): AnalysisReport {
  const analysis = analyzeFlow(flow);
  const seen = new Map<string, number>();
  const keyed = analysis.problems.map((p): ReportProblem => {
    const base = problemKey(p);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...p, key: n === 1 ? base : `${base}#${n}` };
  });
  return {
    analyzerVersion: ANALYZER_VERSION,
    errors: keyed.filter((p) => p.severity === 'error'),
    warnings: keyed.filter((p) => p.severity === 'warning'),
    blockedEdges: analysis.blockedEdges,
  };
}

/**
 * A problem's key: `rule:edge:<id>`, `rule:node:<id>[:<field>]` or
 * `rule:<path>`. A node's field is named without the node's index in the
 * list (`data.body`, not `nodes[3].data.body`), so the key does not depend
 * on the order nodes are listed in. The report numbers repeats (`#2`).
 */
export function problemKey(p: Problem): string {
  if (p.edgeId !== undefined) return `${p.rule}:edge:${p.edgeId}`;
  if (p.nodeId !== undefined) {
    const field = p.path?.replace(/^nodes\[\d+\]\.?/, '');
    return field ? `${p.rule}:node:${p.nodeId}:${field}` : `${p.rule}:node:${p.nodeId}`;
  }
  return `${p.rule}:${p.path ?? 'flow'}`;
}

/** Keys of the warnings not in `acknowledged`, in report order. */
export function unacknowledgedWarnings(report: AnalysisReport, acknowledged: readonly string[]): string[] {
  const given = new Set(acknowledged);
  return report.warnings.map((w) => w.key).filter((k) => !given.has(k));
}
