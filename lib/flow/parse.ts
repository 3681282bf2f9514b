import type { z } from 'zod';
import { flowSchema, type FlowDocument } from './schema';
import { formatPath, type Problem } from './problem';
import { checkSemantics } from './semantics';
import { locateJsonError } from './json-error';

export type ParseResult = { ok: true; flow: FlowDocument; problems: Problem[] } | { ok: false; problems: Problem[] };

/**
 * Reads an untrusted flow document: the schema first, then the semantic
 * checks (ids, edges, outputs, templates). Every problem has a JSON path and a
 * sentence a marketer can read. Never throws on bad input. A document the
 * schema refuses still gets its edges checked where they can be read, so
 * every problem is reported at once, not one round after another.
 */
export function parseFlow(input: unknown): ParseResult {
  const parsed = flowSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap(toProblems);
    const reported = new Set(problems.map((p) => p.path));
    return { ok: false, problems: [...problems, ...danglingEdges(input).filter((p) => !reported.has(p.path))] };
  }
  const problems = checkSemantics(parsed.data);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, flow: parsed.data, problems: [] };
}

/** Parses JSON text, then the document; a syntax error names its line and column. */
export function parseFlowJson(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      ok: false,
      problems: [{ rule: 'schema', severity: 'error', path: '(document)', message: `not valid JSON: ${locateJsonError(text)}` }],
    };
  }
  return parseFlow(value);
}

/**
 * Edges of a document the schema refused that name a step it does not have,
 * read from whatever of `nodes` and `edges` is readable (the same sentence the
 * semantic check gives a valid document).
 */
function danglingEdges(input: unknown): Problem[] {
  if (typeof input !== 'object' || input === null) return [];
  const { nodes, edges } = input as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return [];
  const ids = new Set<string>();
  for (const n of nodes)
    if (typeof n === 'object' && n !== null && typeof (n as { id?: unknown }).id === 'string') ids.add((n as { id: string }).id);
  const problems: Problem[] = [];
  edges.forEach((e: unknown, i) => {
    if (typeof e !== 'object' || e === null) return;
    const edge = e as { id?: unknown; source?: unknown; target?: unknown };
    const edgeId = typeof edge.id === 'string' ? { edgeId: edge.id } : {};
    for (const end of ['source', 'target'] as const) {
      const id = edge[end];
      if (typeof id === 'string' && !ids.has(id))
        problems.push({ rule: 'schema', severity: 'error', path: `edges[${i}].${end}`, message: `there is no node "${id}"`, ...edgeId });
    }
  });
  return problems;
}

function toProblems(issue: z.core.$ZodIssue): Problem[] {
  const path = formatPath(issue.path);
  const at = (p: string, message: string): Problem => ({ rule: 'schema', severity: 'error', path: p, message });
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) =>
        at(formatPath([...issue.path, key]), `unknown field "${key}" (check the spelling; unknown fields are not allowed)`),
      );
    case 'invalid_type':
      if (issue.input === undefined) return [at(path, `missing: ${lowerFirst(issue.message)}`)];
      if (issue.message.startsWith('Invalid input'))
        return [at(path, `must be ${article(issue.expected)}, not ${describeValue(issue.input)}`)];
      return [at(path, issue.message)];
    case 'invalid_union':
      // A discriminated union names the bad discriminator; a plain union (amount) carries our message.
      return [at(path, issue.message)];
    default:
      return [at(path, issue.message)];
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
