import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FlowBodyThread } from '@/lib/http/flow-body-thread';
import { readFlowBody } from '@/lib/http/flow-body-text';
import { generateSharedEndFlow } from './generate-flow';
import { median } from './timing';

/**
 * What reading an imported flow costs the server's thread, on this thread
 * (readFlowBodyText) and off it (FlowBodyThread, as the import and save
 * routes read a big body), beside JSON.parse of the same text, the baseline
 * measured in the same run: the longest stretch the event loop could not
 * turn, and the time it was busy at all (performance.eventLoopUtilization:
 * on a machine busy with other work the first also counts time the thread
 * waited for a core; the second bounds every block from above).
 */
export async function flowBodyRows(sizes: readonly number[] = [2_000, 10_000], runs = 7): Promise<Record<string, number>[]> {
  const thread = new FlowBodyThread();
  const rows: Record<string, number>[] = [];
  for (const size of sizes) {
    const text = JSON.stringify({ document: generateSharedEndFlow(size) });
    const body = () => new TextEncoder().encode(text); // new each time: a read hands its buffer to the thread
    await thread.read(body(), 'import'); // the thread's start is not the body's
    const parse: number[] = [];
    const inline: number[] = [];
    const offThread: number[] = [];
    const busy: number[] = [];
    const whole: number[] = [];
    // Each measure starts from a collected heap, so no run pays for the garbage of the one before.
    for (let i = 0; i < runs; i++) {
      collect();
      const sent = body();
      offThread.push(await longestBlock(() => thread.read(sent, 'import')));
      collect();
      const t0 = performance.now();
      const again = body();
      const elu = performance.eventLoopUtilization();
      await thread.read(again, 'import');
      busy.push(performance.eventLoopUtilization(elu).active);
      whole.push(performance.now() - t0);
      collect();
      parse.push(await longestBlock(async () => JSON.parse(text)));
      collect();
      const local = body();
      inline.push(await longestBlock(async () => readFlowBody(local, 'import')));
    }
    const floor = median(parse);
    rows.push({
      steps: size,
      'body MB': +(text.length / 1024 / 1024).toFixed(2),
      'JSON.parse ms': +floor.toFixed(1),
      'on the thread: block ms': +median(inline).toFixed(1),
      'on: ratio to JSON.parse': +(median(inline) / floor).toFixed(2),
      'off the thread: longest block ms': +median(offThread).toFixed(1),
      'off: ratio to JSON.parse': +(median(offThread) / floor).toFixed(2),
      'off: thread busy ms': +median(busy).toFixed(1),
      'off: answer in ms': +median(whole).toFixed(1),
    });
  }
  return rows;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** A full collection. */
const collect = () => gc();

/** The longest time (ms) between two turns of the event loop while `work` runs (a loop of setImmediate measures the gaps). */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let done = false;
  const ticking = (async () => {
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }
  })();
  await new Promise((resolve) => setImmediate(resolve));
  last = performance.now();
  await work();
  const now = performance.now();
  longest = Math.max(longest, now - last);
  done = true;
  await ticking;
  return longest;
}
