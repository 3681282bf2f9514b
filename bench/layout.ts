/**
 * The layout's figures for `npm run bench` (bench/run.ts): flows whose many
 * outputs lead to one shared End and one shared "thank you" (the shape that
 * made dagre run out of memory), at 2,000 and 10,000 steps. Each time is
 * the median of repeated runs beside the median of JSON.parse of the same
 * document's text, measured in the same run: the ratio holds on any machine.
 * The heap figure is the growth of the heap over one layout (collected
 * before, read right after, so what the layout allocated and still held).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { layoutFlow } from '@/lib/editor/layout';
import { generateSharedEndFlow } from './generate-flow';
import { time } from './timing';

/** A full collection, where Node allows one to be asked for. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** One row per size: the layout's median time, JSON.parse's on the same text, their ratio, and the heap the layout grew by. */
export function layoutRows(sizes: readonly number[] = [2_000, 10_000]): Record<string, number>[] {
  return sizes.map((size) => {
    const flow = generateSharedEndFlow(size);
    const text = JSON.stringify(flow);
    const runs = size <= 2_000 ? 21 : 9;
    const layoutMs = time(runs, () => layoutFlow(flow));
    const parseMs = time(runs, () => JSON.parse(text));
    collect();
    const before = process.memoryUsage().heapUsed;
    const kept = layoutFlow(flow);
    const grown = process.memoryUsage().heapUsed - before;
    if (Object.keys(kept.positions).length !== flow.nodes.length) throw new Error('the layout left a step out');
    return {
      steps: flow.nodes.length,
      edges: flow.edges.length,
      'into End': flow.edges.filter((e) => e.target === 'done').length,
      'layout ms': +layoutMs.toFixed(1),
      'JSON.parse ms (baseline)': +parseMs.toFixed(2),
      'layout ÷ JSON.parse': +(layoutMs / parseMs).toFixed(1),
      'heap growth MB': +(grown / 1024 / 1024).toFixed(1),
    };
  });
}
