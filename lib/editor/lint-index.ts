import type { Problem } from '@/lib/flow/problem';

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

/** The analysis as found: every problem (errors first), and whether the document passed the schema. */
export interface LintFindings {
  problems: Problem[];
  valid: boolean;
}

/**
 * Indexes findings the way the canvas reads them: blocked edges, counts per
 * node. Kept apart from the analyzer so the editor can show findings made
 * elsewhere (the server, the analysis worker) without loading it.
 */
export function indexLint({ problems, valid }: LintFindings): FlowLint {
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
  return { problems, blocked, byNode, errors, warnings: problems.length - errors, valid };
}

/**
 * The next analysis with the previous one's entries kept where they are equal
 * (a step's counts, a connection's blocking errors), so a canvas component
 * that reads its own entry gets the same object back and re-renders only when
 * its entry changed, not on every answer of the analyzer.
 */
export function keepUnchanged<T extends FlowLint>(prev: FlowLint | null, next: T): T {
  if (!prev || prev === next) return next;
  const byNode = new Map<string, ProblemCount>();
  for (const [id, c] of next.byNode) {
    const p = prev.byNode.get(id);
    byNode.set(id, p && p.errors === c.errors && p.warnings === c.warnings && p.first === c.first ? p : c);
  }
  const blocked = new Map<string, Problem[]>();
  for (const [id, list] of next.blocked) {
    const p = prev.blocked.get(id);
    const same =
      p !== undefined && p.length === list.length && p.every((x, i) => x.rule === list[i]!.rule && x.message === list[i]!.message);
    blocked.set(id, same ? p : list);
  }
  return { ...next, byNode, blocked };
}
