/**
 * `npm run bench`: timings the issues ask for, printed as a table and written
 * to bench/results/latest.json. A benchmark, not a test: nothing here fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { compileFlow, createFlowMachine } from '@/lib/flow/compile';
import { parseFlow, parseFlowJson } from '@/lib/flow/parse';
import { generateFlow } from './generate-flow';
import { flowBodyRows } from './flow-body';
import { layoutRows } from './layout';
import { cpuTime, median, time } from './timing';

/**
 * The floor for reading a flow document: `JSON.parse` and a compiled JSON
 * Schema validator (ajv, from the committed flow.schema.json) on the same
 * text. Structure only: no semantic, template or compliance check.
 */
const validateStructure = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(new URL('../flow.schema.json', import.meta.url), 'utf8')),
);
function baseline(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (!validateStructure(value)) throw new Error(`ajv refuses the generated flow: ${JSON.stringify(validateStructure.errors?.[0])}`);
  return value;
}

/** What Optline does with the same text: parse and validate (schema, semantics, templates), analyze, compile. */
function flowCore(text: string): unknown {
  const parsed = parseFlowJson(text);
  if (!parsed.ok) throw new Error(`generated flow is invalid: ${parsed.problems[0]?.message}`);
  analyzeFlow(parsed.flow);
  return compileFlow(parsed.flow);
}

/** Medians of `a` and `b` run in turns, so a machine busy with other work slows both alike. */
function timePair(runs: number, a: () => unknown, b: () => unknown): [number, number] {
  for (let i = 0; i < Math.min(3, runs); i++) {
    a();
    b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    as.push(performance.now() - t0);
    t0 = performance.now();
    b();
    bs.push(performance.now() - t0);
  }
  return [median(as), median(bs)];
}

const rows: Record<string, number | string>[] = [];
for (const size of [1_000, 10_000]) {
  const flow = generateFlow(size);
  const text = JSON.stringify(flow);
  const parsed = parseFlow(flow);
  if (!parsed.ok) throw new Error(`generated flow is invalid: ${parsed.problems[0]?.message}`);
  const errors = analyzeFlow(flow).problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`generated flow has errors: ${errors[0]?.message}`);
  const runs = size <= 1_000 ? 51 : 15;
  const config = compileFlow(flow);
  const [floor, all] = timePair(
    runs,
    () => baseline(text),
    () => flowCore(text),
  );
  rows.push({
    nodes: flow.nodes.length,
    edges: flow.edges.length,
    'JSON.parse ms': +time(runs, () => JSON.parse(text)).toFixed(2),
    'JSON.parse+ajv ms': +floor.toFixed(2),
    'parse+validate ms': +time(runs, () => parseFlowJson(text)).toFixed(2),
    'analyze ms': +time(runs, () => analyzeFlow(flow)).toFixed(2),
    'analyze CPU ms': +cpuTime(runs, () => analyzeFlow(flow)).toFixed(1),
    'compile ms': +time(runs, () => compileFlow(flow)).toFixed(2),
    'all three ms': +all.toFixed(2),
    'ratio to JSON.parse+ajv': +(all / floor).toFixed(2),
    'createMachine ms': +time(size <= 1_000 ? 11 : 3, () => createFlowMachine(config)).toFixed(1),
  });
}

console.log('Flow core (median of repeated runs, Node', process.version + ')');
console.log(
  "From the document's JSON text: parse+validate (schema, semantics, templates), analyze, compile; 'all three' runs them in turn with JSON.parse+ajv (compiled from flow.schema.json) on the same text, the baseline of the ratio; 'analyze CPU ms' is the process's CPU time, which other work on the machine inflates less than the wall clock.",
);
console.table(rows);

// The editor's layout on a shared-End flow, beside JSON.parse of the same text (goals: 2,000 steps < 1 s and < 300 MB of heap, 10,000 < 5 s).
const layout = layoutRows();
console.log('Layout of a flow with a shared End (median; baseline JSON.parse of the same document, same run)');
console.table(layout);

// An import's body on the server's thread and off it (goal: the thread never blocked for more than a few ms).
const flowBody = await flowBodyRows();
console.log(
  "Reading an imported shared-End flow (median; the server thread's longest block while the body is read, beside JSON.parse of the same text, same run)",
);
console.table(flowBody);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify({ flowCore: rows, layout, flowBody }, null, 2)}\n`);
