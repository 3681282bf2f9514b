/** Timing helpers the benchmarks share: medians of repeated runs after a short warm-up. */

/** The median of some samples. */
export function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time of `fn` in ms over `runs` runs, after up to three warm-up runs. */
export function time(runs: number, fn: () => unknown): number {
  return medianOf(runs, fn, () => {
    const t0 = performance.now();
    return () => performance.now() - t0;
  });
}

/** Median CPU time of `fn` (this process's user + system, ms): on a machine busy with other work, what the code itself costs. */
export function cpuTime(runs: number, fn: () => unknown): number {
  return medianOf(runs, fn, () => {
    const c0 = process.cpuUsage();
    return () => {
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
  });
}

function medianOf(runs: number, fn: () => unknown, start: () => () => number): number {
  for (let i = 0; i < Math.min(3, runs); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const stop = start();
    fn();
    samples.push(stop());
  }
  return median(samples);
}
