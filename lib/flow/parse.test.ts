import { describe, expect, it } from 'vitest';
import { parseFlow, parseFlowJson } from './parse';
import { payByTextDocument } from './test-fixtures';

function problemsOf(input: unknown) {
  const result = parseFlow(input);
  expect(result.ok).toBe(false);
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('parseFlow', () => {
  it('accepts the pay-by-text template and returns it unchanged', () => {
    const doc = payByTextDocument();
    const result = parseFlow(doc);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.flow).toEqual(doc);
  });

  it('names a bad duration with its path and the value, in words a marketer can read', () => {
    const doc = payByTextDocument() as unknown as { nodes: { data: Record<string, unknown> }[] };
    doc.nodes[2]!.data.timeout = 'two days';
    expect(problemsOf(doc)).toEqual(['nodes[2].data.timeout: "two days" is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D)']);
  });

  it('rejects an unknown field instead of ignoring a typo', () => {
    const doc = payByTextDocument() as unknown as { nodes: { data: Record<string, unknown> }[] };
    doc.nodes[1]!.data.timout = 'P1D';
    expect(problemsOf(doc)).toEqual(['nodes[1].data.timout: unknown field "timout" (check the spelling; unknown fields are not allowed)']);
  });

  it('reports a dangling edge together with the schema problems, not only once they are fixed', () => {
    const doc = payByTextDocument() as unknown as { nodes: { data: Record<string, unknown> }[]; edges: { target: string }[] };
    doc.nodes[2]!.data.timeout = 'two days';
    doc.edges[0]!.target = 'nowhere';
    expect(problemsOf(doc)).toEqual([
      'nodes[2].data.timeout: "two days" is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D)',
      'edges[0].target: there is no node "nowhere"',
    ]);
  });

  it('lists the node types when a type is unknown', () => {
    const doc = payByTextDocument() as unknown as { nodes: Record<string, unknown>[] };
    doc.nodes[3]!.type = 'payment';
    const [problem] = problemsOf(doc);
    expect(problem).toMatch(/^nodes\[3\]\.type: "payment" is not a node type: use one of trigger, consent\.request/);
  });

  it('says a required field is missing', () => {
    const doc = payByTextDocument() as unknown as { policy: Record<string, unknown> };
    delete doc.policy.brand;
    expect(problemsOf(doc)).toEqual(['policy.brand: missing: name the sender (brand): opt-in messages must name it']);
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsOf({
      schemaVersion: 2,
      id: 'Bad Id',
      name: ' ',
      policy: { brand: 'Acme', quietHours: 'never' },
      nodes: [{ id: 't', type: 'trigger', data: { kind: 'schedule', at: '7am' } }],
      edges: [],
    });
    expect(problems).toEqual([
      'schemaVersion: must be 1 (this is version 1 of the flow format)',
      'id: "Bad Id" is not a flow id: lower-case letters, digits and -, like "pay-by-text"',
      'name: the flow needs a name',
      'policy.quietHours: "never" is not a policy: use "federal" (08:00–21:00) or "strictest"',
      'nodes[0].data.at: "7am" is not a time of day like 09:30 (24-hour HH:MM)',
    ]);
  });

  it('refuses amounts that are not positive money values', () => {
    const doc = payByTextDocument() as unknown as { nodes: { data: Record<string, unknown> }[] };
    doc.nodes[3]!.data.amount = 12.345;
    expect(problemsOf(doc)).toEqual(['nodes[3].data.amount: the amount has more than 2 decimals']);
    doc.nodes[3]!.data.amount = 'twelve dollars';
    expect(problemsOf(doc)).toEqual([
      'nodes[3].data.amount: "twelve dollars" is not an amount: use a number like 42.50 or a variable like {{vars.amount_due}}',
    ]);
  });

  it('accepts a document without positions (the editor lays them out)', () => {
    const doc = payByTextDocument() as unknown as { nodes: Record<string, unknown>[] };
    for (const node of doc.nodes) delete node.position;
    expect(parseFlow(doc).ok).toBe(true);
  });

  it('never throws on values that are not documents at all', () => {
    for (const input of [null, 42, 'flow', [], { nodes: 'x' }]) {
      const result = parseFlow(input);
      expect(result.ok).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});

describe('parseFlowJson', () => {
  it('points at the line and column of a JSON syntax error', () => {
    const result = parseFlowJson('{\n  "schemaVersion": 1,\n  "id": oops\n}');
    expect(result.ok).toBe(false);
    expect(result.problems[0]!.path).toBe('(document)');
    expect(result.problems[0]!.message).toBe('not valid JSON: line 3, column 9: unexpected "o" (expected a value)');
  });

  it.each([
    ['{"a": 1,}', 'line 1, column 9: unexpected "}" (expected a field name in double quotes)'],
    ['{"a": [1, 2}', 'line 1, column 12: unexpected "}" (expected "," or "]")'],
    ['{"a": "b', 'line 1, column 9: a string is not closed'],
    ['{"a": 1} x', 'line 1, column 10: unexpected "x" after the end of the document'],
    ['', 'line 1, column 1: the text ends too early (expected a value)'],
  ])('locates the error in %j', (text, where) => {
    const result = parseFlowJson(text);
    expect(result.problems).toEqual([{ rule: 'schema', severity: 'error', path: '(document)', message: `not valid JSON: ${where}` }]);
  });
});
