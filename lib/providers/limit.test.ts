import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './limit';

/** A call the test finishes by hand. */
function gate() {
  let open!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('ConcurrencyLimit', () => {
  it('runs at most max calls at once and starts the waiting ones in the order they came, also after a failure', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    const results = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    for (const r of results) r.catch(() => undefined); // read below, once all are settled
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]!.fail(new Error('refused'));
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const g of gates.slice(2)) g.open();
    expect(await Promise.allSettled(results)).toEqual([
      { status: 'fulfilled', value: 0 },
      { status: 'rejected', reason: new Error('refused') },
      { status: 'fulfilled', value: 2 },
      { status: 'fulfilled', value: 3 },
      { status: 'fulfilled', value: 4 },
    ]);
    // Every slot given back: the next max calls start at once.
    const again = [gate(), gate()];
    const more: number[] = [];
    const runs = again.map((g, i) =>
      limit.run(async () => {
        more.push(i);
        await g.done;
      }),
    );
    await settle();
    expect(more).toEqual([0, 1]);
    for (const g of again) g.open();
    await Promise.all(runs);
  });

  it('refuses a limit below 1', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow('at least 1, not 0');
  });
});
