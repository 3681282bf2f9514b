import { analyzeFlow } from '../flow/analyze/index';
import { parseFlow } from '../flow/parse';
import type { Problem } from '../flow/problem';
import type { FlowDocument } from '../flow/schema';

/** Problems counted for one node or edge. */
export interface ProblemCount {
  errors: number;
  warnings: number;
  /** The first problem's message, for a badge's tooltip. */
  first: string;
}

/** What the editor shows about a document: every problem, located on its node or edge. */
export interface FlowLint {
  /** Errors first, then warnings; schema problems carry the node or edge their path points into. */
  problems: Problem[];
  /** Blocked edge id → the errors that block it. */
  blocked: Map<string, Problem[]>;
  byNode: Map<string, ProblemCount>;
  errors: number;
  warnings: number;
  /** Whether the document is valid (then the analyzer's problems are complete). */
  valid: boolean;
}

/**
 * Checks the document the editor holds: the schema and semantic checks, then
 * the compliance analyzer (lib/flow/analyze), the same one the CLI and the
 * publish gate call. A document mid-edit that fails the schema is still
 * analyzed when the analyzer can read it, so red edges do not flicker while a
 * field is being typed.
 */
export function lintFlow(doc: FlowDocument): FlowLint {
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

  const blocked = new Map<string, Problem[]>();
  const byNode = new Map<string, ProblemCount>();
  let errors = 0;
  for (const p of problems) {
    if (p.severity === 'error') errors++;
    if (p.severity === 'error' && p.edgeId !== undefined && p.rule !== 'schema') {
      const list = blocked.get(p.edgeId) ?? [];
      list.push(p);
      blocked.set(p.edgeId, list);
    }
    if (p.nodeId !== undefined) {
      const c = byNode.get(p.nodeId) ?? { errors: 0, warnings: 0, first: p.message };
      if (p.severity === 'error') c.errors++;
      else c.warnings++;
      byNode.set(p.nodeId, c);
    }
  }
  return { problems, blocked, byNode, errors, warnings: problems.length - errors, valid: parsed.ok };
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
