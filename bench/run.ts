/**
 * `npm run bench`: timings the issues ask for, printed as a table and written
 * to bench/results/latest.json. A benchmark, not a test: nothing here fails.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { compileFlow, createFlowMachine } from '@/lib/flow/compile';
import { parseFlow } from '@/lib/flow/parse';
import { generateFlow } from './generate-flow';
import { layoutRows } from './layout';

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function time(runs: number, fn: () => unknown): number {
  for (let i = 0; i < Math.min(3, runs); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const rows: Record<string, number | string>[] = [];
for (const size of [1_000, 10_000]) {
  const flow = generateFlow(size);
  const parsed = parseFlow(flow);
  if (!parsed.ok) throw new Error(`generated flow is invalid: ${parsed.problems[0]?.message}`);
  const errors = analyzeFlow(flow).problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`generated flow has errors: ${errors[0]?.message}`);
  const runs = size <= 1_000 ? 51 : 15;
  const config = compileFlow(flow);
  rows.push({
    nodes: flow.nodes.length,
    edges: flow.edges.length,
    'parse+validate ms': +time(runs, () => parseFlow(flow)).toFixed(2),
    'analyze ms': +time(runs, () => analyzeFlow(flow)).toFixed(2),
    'compile ms': +time(runs, () => compileFlow(flow)).toFixed(2),
    'createMachine ms': +time(size <= 1_000 ? 11 : 3, () => createFlowMachine(config)).toFixed(1),
  });
}

console.log('Flow core (median of repeated runs, Node', process.version + ')');
console.table(rows);

// The editor's layout on a shared-End flow, beside JSON.parse of the same text (goals: 2,000 steps < 1 s and < 300 MB of heap, 10,000 < 5 s).
const layout = layoutRows();
console.log('Layout of a flow with a shared End (median; baseline JSON.parse of the same document, same run)');
console.table(layout);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify({ flowCore: rows, layout }, null, 2)}\n`);
