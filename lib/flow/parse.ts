import type { z } from 'zod';
import { flowSchema, type FlowDocument } from './schema';
import { formatPath, type Problem } from './problem';
import { checkSemantics } from './semantics';
import { locateJsonError } from './json-error';

export type ParseResult = { ok: true; flow: FlowDocument; problems: Problem[] } | { ok: false; problems: Problem[] };

/**
 * Reads an untrusted flow document: the schema first, then the semantic
 * checks (ids, edges, outputs, templates). Every problem has a JSON path and a
 * sentence a marketer can read. Never throws on bad input.
 */
export function parseFlow(input: unknown): ParseResult {
  const parsed = flowSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap(toProblems) };
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
