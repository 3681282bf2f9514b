import { describe, expect, it } from 'vitest';
import { generateSharedEndFlow } from '@/bench/generate-flow';
import { isAppError } from '@/lib/app-error';
import { jsonOfJsonb } from '@/lib/flows/flow-bodies';
import { FLOW_READ_BUDGET, FlowBodyThread, INLINE_MAX_BYTES, readOffThread } from './flow-body-thread';
import { readFlowBodyText } from './flow-body-text';

const big = generateSharedEndFlow(2_000);
const bigImport = JSON.stringify({ document: big });
/** A body's bytes, new each time (a read hands its buffer to the thread). */
const bytes = (text: string) => new TextEncoder().encode(text);

/** How many turns the event loop takes while `work` is pending: a read on this thread would leave it none. */
async function turnsWhile<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let done = false;
  let turns = 0;
  const settled = work.finally(() => {
    done = true;
  });
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    turns++;
  }
  return { value: await settled, turns };
}

/** The AppError a read is refused with. */
async function refusal(read: Promise<unknown>) {
  const err = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(err)) throw new Error(`expected an AppError, got ${String(err)}`);
  return { status: err.status, ...err.toJSON().error };
}

describe('reading a flow body', () => {
  it('reads a big body in a worker thread, to the same text as on this thread, with the event loop turning meanwhile', async () => {
    expect(bigImport.length).toBeGreaterThan(INLINE_MAX_BYTES);
    const body = bytes(bigImport);
    const { value, turns } = await turnsWhile(readOffThread(body, 'import'));
    // The body's buffer was handed to the thread, not copied (a transferred buffer is empty here).
    expect(body.byteLength).toBe(0);
    expect(value).toEqual(readFlowBodyText(bigImport, 'import'));
    expect(value).toMatchObject({ id: big.id, steps: big.nodes.length, edges: big.edges.length });
    expect(JSON.parse(jsonOfJsonb(value.jsonb))).toEqual(big);
    // On this thread the read would be one task: the loop would turn once, after it.
    expect(turns).toBeGreaterThan(5);
  });

  it('reads a small body on this thread', async () => {
    const small = JSON.stringify({ document: generateSharedEndFlow(10) });
    expect(small.length).toBeLessThanOrEqual(INLINE_MAX_BYTES);
    expect(await readOffThread(bytes(small), 'import')).toEqual(readFlowBodyText(small, 'import'));
  });

  it("brings a worker's refusal back as the same AppError, every problem with its path", async () => {
    const broken = structuredClone(big);
    const ask = broken.nodes.findIndex((n) => n.id === 'ask-500');
    (broken.nodes[ask]!.data as { purpose?: unknown }).purpose = 'lottery';
    const text = JSON.stringify({ document: broken });
    const offThread = await refusal(readOffThread(bytes(text), 'import'));
    expect(offThread).toMatchObject({ status: 422, code: 'invalid_flow' });
    expect(offThread.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: `nodes[${ask}].data.purpose` })]));
    let onThread: unknown;
    try {
      readFlowBodyText(text, 'import');
    } catch (err) {
      onThread = isAppError(err) ? err.toJSON().error : err;
    }
    expect(onThread).toEqual({ code: offThread.code, message: offThread.message, details: offThread.details });

    const save = await refusal(
      readOffThread(bytes(JSON.stringify({ draft: { ...big, nodes: 'many' } }).padEnd(INLINE_MAX_BYTES + 1)), 'save'),
    );
    expect(save).toMatchObject({ status: 400, path: 'draft.nodes' });
    const notUtf8 = bytes(bigImport);
    notUtf8[100] = 0xff;
    expect(await refusal(readOffThread(notUtf8, 'import'))).toMatchObject({ status: 400, message: 'the request body is not UTF-8 text' });
    const syntax = await refusal(readOffThread(bytes(`{"document": ${JSON.stringify(big).slice(0, -1)}`), 'import'));
    expect(syntax).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('refuses a read past its time (422 naming the limit), and answers the next body from a new thread', async () => {
    const thread = new FlowBodyThread({ ...FLOW_READ_BUDGET, ms: 1 });
    const [slow, next] = await Promise.all([
      refusal(thread.read(bytes(bigImport), 'import')),
      refusal(thread.read(bytes(bigImport), 'import')),
    ]);
    expect(slow).toMatchObject({ status: 422, code: 'unprocessable', message: expect.stringContaining('took over 0.001 s') });
    // The stuck thread was stopped: the body behind it was given to a new one (which was no faster).
    expect(next).toEqual(slow);
  });

  it('refuses a read past its memory (422 naming the limit)', async () => {
    // 16 MB holds the thread's code but not a 10,000-step document read (which takes about 30 MB).
    const thread = new FlowBodyThread({ ...FLOW_READ_BUDGET, heapMb: 16 });
    const largest = JSON.stringify({ document: generateSharedEndFlow(10_000) });
    const starved = await refusal(thread.read(bytes(largest), 'import'));
    expect(starved).toMatchObject({ status: 422, code: 'unprocessable', message: expect.stringContaining('more than 16 MB') });
  });

  it('refuses a body while too many wait (429), and reads the ones it took', async () => {
    const thread = new FlowBodyThread({ ...FLOW_READ_BUDGET, waiting: 2 });
    const taken = [thread.read(bytes(bigImport), 'import'), thread.read(bytes(bigImport), 'import')];
    const refused = await refusal(thread.read(bytes(bigImport), 'import'));
    expect(refused).toMatchObject({ status: 429, code: 'too_many_requests' });
    for (const read of await Promise.all(taken)) expect(read.steps).toBe(big.nodes.length);
  });
});
