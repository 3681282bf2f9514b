import type { FlowDocument } from '@/lib/flow/schema';
import type { XY } from './changes';
import type { MeasuredSizes } from './layout';

/** A request to the layout worker, numbered so its answers can be matched. */
export interface LayoutRequest {
  id: number;
  doc: FlowDocument;
  measured: MeasuredSizes;
}

/** The worker's answers to a request: how far along it is (0 to 1), then the positions or why there are none. */
export type LayoutResponse =
  { id: number; progress: number } | { id: number; positions: Record<string, XY> } | { id: number; error: string };

/** What a layout was stopped by: the user's Cancel or the editor closing (nothing is changed). */
export class LayoutCancelled extends Error {
  constructor() {
    super('the layout was cancelled');
    this.name = 'LayoutCancelled';
  }
}

/** Lays documents out for the editor, off the page's main thread when the browser allows. */
export interface LayoutClient {
  /** Positions for every step; rejects with LayoutCancelled when `signal` aborts, with an Error when the layout cannot run. */
  layout(
    doc: FlowDocument,
    measured: MeasuredSizes,
    options?: { onProgress?: (done: number) => void; signal?: AbortSignal },
  ): Promise<Record<string, XY>>;
  /** Where layouts run: a Web Worker, or the page itself (no Worker in this environment). */
  readonly where: 'worker' | 'page';
  dispose(): void;
}

/**
 * A layout client. Each layout runs in a Web Worker (lib/editor/layout.worker.ts),
 * one at a time; Cancel ends the worker itself, so a layout stops at once
 * wherever it is, and the next layout starts a fresh worker. A worker that fails
 * (its script would not load, say) rejects the layout it was running: the
 * caller keeps the document as it was. Without a Worker (Node, tests) the
 * same layout runs on the page, its code loaded on first use.
 *
 * `makeWorker` is the seam for tests; the default starts lib/editor/layout.worker.ts.
 */
export function createLayoutClient(makeWorker: (() => Worker) | null = defaultWorker()): LayoutClient {
  let worker: Worker | null = null;
  let next = 0;
  let running: { id: number; reject: (err: Error) => void } | null = null;
  let closed = false;

  const stopWorker = () => {
    worker?.terminate();
    worker = null;
  };

  const onPage = async (
    doc: FlowDocument,
    measured: MeasuredSizes,
    options: { onProgress?: (done: number) => void; signal?: AbortSignal },
  ): Promise<Record<string, XY>> => {
    const { layoutFlow } = await import('./layout');
    if (options.signal?.aborted || closed) throw new LayoutCancelled();
    return layoutFlow(doc, measured, options.onProgress).positions;
  };

  return {
    where: makeWorker ? 'worker' : 'page',
    layout(doc, measured, options = {}) {
      if (closed || options.signal?.aborted) return Promise.reject(new LayoutCancelled());
      if (!makeWorker) return onPage(doc, measured, options);
      // One layout at a time: a newer one replaces the one running (whose worker is ended with it).
      if (running) {
        running.reject(new LayoutCancelled());
        stopWorker();
      }
      return new Promise<Record<string, XY>>((resolve, reject) => {
        const id = ++next;
        const finish = (err: Error | null, positions?: Record<string, XY>) => {
          if (running?.id !== id) return;
          running = null;
          options.signal?.removeEventListener('abort', onAbort);
          if (err) reject(err);
          else resolve(positions!);
        };
        const onAbort = () => {
          stopWorker();
          finish(new LayoutCancelled());
        };
        running = { id, reject: (err) => finish(err) };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          worker ??= makeWorker();
        } catch (err) {
          finish(new Error(`the layout worker could not start (${err instanceof Error ? err.message : String(err)})`));
          return;
        }
        worker.onmessage = (event: MessageEvent<LayoutResponse>) => {
          const answer = event.data;
          if (answer.id !== id) return;
          if ('progress' in answer) options.onProgress?.(answer.progress);
          else if ('positions' in answer) finish(null, answer.positions);
          else {
            stopWorker();
            finish(new Error(answer.error));
          }
        };
        worker.onerror = (event) => {
          event.preventDefault();
          stopWorker();
          finish(new Error(`the layout worker stopped${event.message ? ` (${event.message})` : ''}`));
        };
        worker.postMessage({ id, doc, measured } satisfies LayoutRequest);
      });
    },
    dispose() {
      closed = true;
      stopWorker();
      running?.reject(new LayoutCancelled());
    },
  };
}

function defaultWorker(): (() => Worker) | null {
  if (typeof Worker === 'undefined') return null;
  return () => new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'optline-layout' });
}
