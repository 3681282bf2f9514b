import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit';

/** A write whose commits the test releases one at a time. */
function gatedWrite() {
  const calls: { items: number[]; release: (fail?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ items, release: (fail) => (fail ? reject(fail) : resolve(items.map((i) => `done ${i}`))) });
    });
  return { calls, write };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('GroupCommit', () => {
  it('sends a lone write at once, and the writes that come while the commits are busy together in the next batch', async () => {
    const { calls, write } = gatedWrite();
    const group = new GroupCommit(write, { maxInFlight: 1 });
    const first = group.add(1);
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const later = [group.add(2), group.add(3), group.add(4)];
    await tick();
    expect(calls).toHaveLength(1); // waiting for the commit in flight
    calls[0]!.release();
    expect(await first).toBe('done 1');
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.release();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('keeps up to maxInFlight batches committing at once, and batches no more than maxBatch writes', async () => {
    const { calls, write } = gatedWrite();
    const group = new GroupCommit(write, { maxInFlight: 2, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => group.add(i));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[0]!.release();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4]]);
    calls[1]!.release();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    calls[2]!.release();
    calls[3]!.release();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `done ${i}`));
  });

  it('tries a failed batch again one write at a time, so only the bad write fails', async () => {
    const seen: number[][] = [];
    const group = new GroupCommit(async (items: number[]) => {
      seen.push(items);
      if (items.includes(13)) throw new Error('13 is refused');
      return items.map((i) => i * 10);
    }, { maxInFlight: 1 });
    const block = group.add(0); // in flight while the next three gather
    const results = Promise.allSettled([group.add(12), group.add(13), group.add(14)]);
    await block;
    const settled = await results;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([120, '13 is refused', 140]);
    expect(seen).toEqual([[0], [12, 13, 14], [12], [13], [14]]);
  });

  it('fails every write of a batch whose write returned the wrong number of results (when a lone retry does too)', async () => {
    const group = new GroupCommit(async () => ['only one', 'and two'], { maxInFlight: 1 });
    await expect(group.add(1)).rejects.toThrow('a group commit returned 2 results for 1 writes');
  });
});
