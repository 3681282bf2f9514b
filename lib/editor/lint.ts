import { analyzeFlow } from '@/lib/flow/analyze/index';
import { parseFlow } from '@/lib/flow/parse';
import type { Problem } from '@/lib/flow/problem';
import type { FlowDocument } from '@/lib/flow/schema';
import { indexLint, type FlowLint, type LintFindings } from './lint-index';

export type { FlowLint, LintFindings, ProblemCount } from './lint-index';

/**
 * Checks the document the editor holds: the schema and semantic checks, then
 * the compliance analyzer (lib/flow/analyze), the same one the CLI and the
 * publish gate call. A document mid-edit that fails the schema is still
 * analyzed when the analyzer can read it, so red edges do not flicker while a
 * field is being typed.
 */
export function lintFlow(doc: FlowDocument): FlowLint {
  return indexLint(lintFindings(doc));
}

/** What the analysis found, without the indexes (what the server hands the editor, and the worker answers). */
export function lintFindings(doc: FlowDocument): LintFindings {
  const parsed = parseFlow(doc);
  const found: Problem[] = parsed.ok ? [] : parsed.problems.map((p) => locate(doc, p));
  let analysis: Problem[] = [];
  try {
    analysis = analyzeFlow(parsed.ok ? parsed.flow : doc).problems;
  } catch {
    // An invalid document the analyzer cannot read: the schema problems say what to fix.
  }
  const seen = new Set(found.map(key));
  for (const p of analysis) if (!seen.has(key(p))) found.push(p);
  const problems = [...found.filter((p) => p.severity === 'error'), ...found.filter((p) => p.severity === 'warning')];
  return { problems, valid: parsed.ok };
}

const key = (p: Problem) => `${p.rule}|${p.nodeId ?? ''}|${p.edgeId ?? ''}|${p.path ?? ''}|${p.message}`;

/** Gives a schema problem the node or edge its path points into (`nodes[3].data.body` → node 3). */
function locate(doc: FlowDocument, p: Problem): Problem {
  if (p.nodeId !== undefined || p.edgeId !== undefined || !p.path) return p;
  const m = /^(nodes|edges)\[(\d+)\]/.exec(p.path);
  if (!m) return p;
  const index = Number(m[2]);
  if (m[1] === 'nodes') {
    const id = doc.nodes[index]?.id;
    return typeof id === 'string' ? { ...p, nodeId: id } : p;
  }
  const edge = doc.edges[index];
  return edge ? { ...p, edgeId: edge.id, nodeId: edge.target } : p;
}
