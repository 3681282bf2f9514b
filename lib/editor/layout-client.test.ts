import { describe, expect, it } from 'vitest';
import { generateSharedEndFlow } from '@/bench/generate-flow';
import type { FlowDocument } from '@/lib/flow/schema';
import { TEMPLATES } from '@/workflows/index';
import { defaultNode } from './defaults';
import { layoutPositions } from './layout';
import { answerLayout } from './layout-answer';
import { createLayoutClient, LayoutCancelled, type LayoutRequest, type LayoutResponse } from './layout-client';
import { createEditorStore, isDirty } from './store';

const payByText = TEMPLATES.find((t) => (t as { id: string }).id === 'pay-by-text') as FlowDocument;

/** pay-by-text with every step piled at the origin, as a messy canvas. */
function piled(): FlowDocument {
  return { ...payByText, nodes: payByText.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };
}

/**
 * A stand-in for the browser's Worker running the layout worker's own
 * handler, messages passed through structuredClone as postMessage does.
 * `hold` keeps the answers back until `release`, as a long layout would.
 */
class InProcessLayoutWorker {
  onmessage: ((event: MessageEvent<LayoutResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  held: LayoutResponse[] = [];
  hold = false;
  terminated = false;
  postMessage(message: LayoutRequest): void {
    const answers: LayoutResponse[] = [];
    answerLayout(structuredClone(message), (answer) => answers.push(structuredClone(answer)));
    if (this.hold) this.held.push(...answers);
    else queueMicrotask(() => answers.forEach((a) => this.deliver(a)));
  }
  deliver(answer: LayoutResponse): void {
    if (!this.terminated) this.onmessage?.({ data: answer } as MessageEvent<LayoutResponse>);
  }
  /** Hands over the held answers up to and including the first that is not progress (or only the progress, with `progressOnly`). */
  release(progressOnly = false): void {
    while (this.held.length > 0) {
      const next = this.held[0]!;
      if (progressOnly && !('progress' in next)) return;
      this.held.shift();
      this.deliver(next);
    }
  }
  fail(): void {
    this.onerror?.({ preventDefault() {}, message: 'out of memory' } as ErrorEvent);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function storeWithWorkers(doc: FlowDocument, hold = false) {
  const workers: InProcessLayoutWorker[] = [];
  const store = createEditorStore(doc, {
    layoutClient: () =>
      createLayoutClient(() => {
        const w = new InProcessLayoutWorker();
        w.hold = hold;
        workers.push(w);
        return w as unknown as Worker;
      }),
  });
  return { store, workers };
}

describe('Tidy up in a worker', () => {
  it('lays the steps out through the worker as one undo step, the work unsaved until saved', async () => {
    const doc = piled();
    const { store, workers } = storeWithWorkers(doc);
    await store.getState().autoLayout();
    expect(workers).toHaveLength(1);
    const laid = store.getState().doc;
    const expected = layoutPositions(doc);
    expect(Object.fromEntries(laid.nodes.map((n) => [n.id, n.position]))).toEqual(expected);
    expect(store.getState().tidy).toBeNull();
    expect(isDirty(store.getState())).toBe(true);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.temporal.getState().undo();
    expect(store.getState().doc).toBe(doc);
  });

  it('shows how far along it is while the layout runs', async () => {
    const { store, workers } = storeWithWorkers(generateSharedEndFlow(400, { positions: true }), true);
    const done = store.getState().autoLayout();
    expect(store.getState().tidy).toEqual({ progress: 0 });
    await Promise.resolve();
    workers[0]!.release(true);
    const progress = store.getState().tidy!.progress;
    expect(progress).toBeGreaterThan(0);
    expect(progress).toBeLessThanOrEqual(1);
    workers[0]!.release();
    await done;
    expect(store.getState().tidy).toBeNull();
  });

  it('stops at Cancel: the worker is ended, the document and its history untouched, and the next Tidy up starts afresh', async () => {
    const doc = piled();
    const { store, workers } = storeWithWorkers(doc, true);
    const done = store.getState().autoLayout();
    await Promise.resolve();
    store.getState().cancelTidy();
    await done;
    expect(workers[0]!.terminated).toBe(true);
    expect(store.getState().doc).toBe(doc);
    expect(store.getState().tidy).toBeNull();
    expect(store.getState().hint).toBeNull();
    expect(store.temporal.getState().pastStates).toHaveLength(0);

    const again = store.getState().autoLayout();
    await Promise.resolve();
    expect(workers).toHaveLength(2);
    workers[1]!.release();
    await again;
    expect(store.getState().doc.nodes.map((n) => n.position)).toEqual(doc.nodes.map((n) => layoutPositions(doc)[n.id]));
  });

  it('keeps every edit made while it runs: a moved step stays put, an added step keeps its place, typed text stays', async () => {
    const doc = piled();
    const { store, workers } = storeWithWorkers(doc, true);
    const done = store.getState().autoLayout();
    await Promise.resolve();
    const s = store.getState();
    s.apply({ type: 'move', positions: { notice: { x: 999, y: 999 } } });
    s.apply({ type: 'add', nodes: [defaultNode('end', 'late-end', 'Acme', { x: 5, y: 5 })] });
    s.apply({ type: 'update-label', nodeId: 'pay', label: 'Pay the bill' });
    const edited = store.getState().doc;
    workers[0]!.release();
    await done;
    const laid = store.getState().doc;
    const at = (id: string) => laid.nodes.find((n) => n.id === id)!;
    expect(at('notice').position).toEqual({ x: 999, y: 999 });
    expect(at('late-end').position).toEqual({ x: 5, y: 5 });
    expect(at('pay').label).toBe('Pay the bill');
    expect(at('pay').position).toEqual(layoutPositions(doc).pay);
    // The layout is one step of its own on top of the edits.
    store.temporal.getState().undo();
    expect(store.getState().doc).toBe(edited);
  });

  it('changes nothing when the worker fails, and says so', async () => {
    const doc = piled();
    const { store, workers } = storeWithWorkers(doc, true);
    const done = store.getState().autoLayout();
    await Promise.resolve();
    workers[0]!.fail();
    await done;
    expect(store.getState().doc).toBe(doc);
    expect(store.getState().hint).toMatch(/Tidy up could not finish/);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('ends the worker and any running layout when the editor closes', async () => {
    const { store, workers } = storeWithWorkers(piled(), true);
    const done = store.getState().autoLayout();
    await Promise.resolve();
    store.getState().dispose();
    await done;
    expect(workers[0]!.terminated).toBe(true);
    expect(store.getState().tidy).toBeNull();
  });
});

describe('layout client', () => {
  it('lays out on the page where there is no Worker', async () => {
    const client = createLayoutClient(null);
    expect(client.where).toBe('page');
    const doc = piled();
    expect(await client.layout(doc, {})).toEqual(layoutPositions(doc));
  });

  it('rejects, changing nothing, when the worker cannot start', async () => {
    const client = createLayoutClient(() => {
      throw new Error('blocked by policy');
    });
    await expect(client.layout(piled(), {})).rejects.toThrow(/could not start \(blocked by policy\)/);
  });

  it('replaces a running layout with a newer one, cancelling the first', async () => {
    const workers: InProcessLayoutWorker[] = [];
    const client = createLayoutClient(() => {
      const w = new InProcessLayoutWorker();
      w.hold = workers.length === 0;
      workers.push(w);
      return w as unknown as Worker;
    });
    const first = client.layout(piled(), {});
    const second = client.layout(payByText, {});
    await expect(first).rejects.toBeInstanceOf(LayoutCancelled);
    expect(workers[0]!.terminated).toBe(true);
    expect(await second).toEqual(layoutPositions(payByText));
  });

  it('answers a document it cannot read with an error, not a crash of the worker', () => {
    const answers: LayoutResponse[] = [];
    answerLayout({ id: 3, doc: null as unknown as FlowDocument, measured: {} }, (a) => answers.push(a));
    expect(answers).toEqual([{ id: 3, error: expect.any(String) }]);
  });
});
