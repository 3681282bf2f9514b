import { describe, expect, it } from 'vitest';
import { readNdjson } from './read-ndjson';

const streamOf = (chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(new TextEncoder().encode(c));
      controller.close();
    },
  });

describe('readNdjson', () => {
  it('gives each line once complete, however the chunks split it, including a last line without a newline', async () => {
    const seen: unknown[] = [];
    await readNdjson(streamOf(['{"phase":"valid', 'ating","done":2}\n{"phase":"importing"', ',"done":1}\n\n{"phase":"done"}']), (v) =>
      seen.push(v),
    );
    expect(seen).toEqual([{ phase: 'validating', done: 2 }, { phase: 'importing', done: 1 }, { phase: 'done' }]);
  });
});
