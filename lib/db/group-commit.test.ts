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

/** Two turns of the event loop: past the group's send, queued in this turn or by a commit that just ended. */
const turn = async () => {
  for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
};

describe('GroupCommit', () => {
  it('sends a lone write at the end of the turn, and the writes that come while the commits are busy together in the next batch', async () => {
    const { calls, write } = gatedWrite();
    const group = new GroupCommit(write, { maxInFlight: 1 });
    const first = group.add(1);
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    const later = [group.add(2), group.add(3), group.add(4)];
    await turn();
    expect(calls).toHaveLength(1); // waiting for the commit in flight
    calls[0]!.release();
    expect(await first).toBe('done 1');
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1]!.release();
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('sends the writes added in one turn together, even with a commit slot free', async () => {
    const { calls, write } = gatedWrite();
    const group = new GroupCommit(write, { maxInFlight: 2 });
    const all = [1, 2, 3].map((i) => group.add(i));
    await turn();
    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
    // Answered callers that add their next write at once (a loop of starts) make one batch again, not a lone one and the rest.
    const again = all.map(async (p, i) => {
      await p;
      return group.add(10 + i);
    });
    calls[0]!.release();
    await Promise.all(all);
    await turn();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2, 3],
      [10, 11, 12],
    ]);
    calls[1]!.release();
    expect(await Promise.all(again)).toEqual(['done 10', 'done 11', 'done 12']);
  });

  it('keeps up to maxInFlight batches committing at once, and batches no more than maxBatch writes', async () => {
    const { calls, write } = gatedWrite();
    const group = new GroupCommit(write, { maxInFlight: 2, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((i) => group.add(i));
    await turn();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    calls[0]!.release();
    await turn();
    expect(calls.map((c) => c.items)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    calls[1]!.release();
    calls[2]!.release();
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `done ${i}`));
  });

  it('tries a failed batch again one write at a time, so only the bad write fails', async () => {
    const seen: number[][] = [];
    const group = new GroupCommit(
      async (items: number[]) => {
        seen.push(items);
        if (items.includes(13)) throw new Error('13 is refused');
        return items.map((i) => i * 10);
      },
      { maxInFlight: 1 },
    );
    const block = group.add(0); // in flight while the next three gather
    await turn();
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
