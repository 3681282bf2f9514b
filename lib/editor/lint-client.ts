import type { FlowDocument } from '@/lib/flow/schema';
import { indexLint, type FlowLint, type LintFindings } from './lint-index';

/** A request to the analysis worker: the document to check, numbered so answers can be matched. */
export interface LintRequest {
  id: number;
  doc: FlowDocument;
}

/** The worker's answer: what the analysis found, or why it could not be made. */
export type LintResponse = { id: number; findings: LintFindings } | { id: number; error: string };

/** Checks documents for the editor, off the page's main thread when the browser allows. */
export interface LintClient {
  lint(doc: FlowDocument): Promise<FlowLint>;
  /** Where the analysis runs: a Web Worker, or the page itself (no Worker, or the worker failed). */
  readonly where: 'worker' | 'page';
  dispose(): void;
}

/** The analysis on the page's own thread, its code loaded on first use. */
async function lintHere(doc: FlowDocument): Promise<FlowLint> {
  const { lintFlow } = await import('./lint');
  return lintFlow(doc);
}

/**
 * A lint client. The analyzer (zod schema, Liquid parser, compliance rules)
 * runs in a Web Worker: the page neither loads its code nor spends a frame on
 * a 1,000-step flow's analysis, so the canvas opens and drags without waiting
 * for it. Without a Worker (or if the worker fails to start or answer) the
 * same analysis runs on the page.
 *
 * `makeWorker` is the seam for tests; the default starts lib/editor/lint.worker.ts.
 */
export function createLintClient(makeWorker: (() => Worker) | null = defaultWorker()): LintClient {
  let worker: Worker | null = null;
  try {
    worker = makeWorker ? makeWorker() : null;
  } catch {
    worker = null;
  }
  const waiting = new Map<number, { doc: FlowDocument; resolve: (lint: FlowLint) => void; reject: (err: Error) => void }>();
  let next = 0;
  const client = {
    where: (worker ? 'worker' : 'page') as 'worker' | 'page',
    lint(doc: FlowDocument): Promise<FlowLint> {
      if (!worker) return lintHere(doc);
      const id = ++next;
      return new Promise<FlowLint>((resolve, reject) => {
        waiting.set(id, { doc, resolve, reject });
        worker!.postMessage({ id, doc } satisfies LintRequest);
      });
    },
    dispose() {
      worker?.terminate();
      worker = null;
      for (const w of waiting.values()) w.reject(new Error('the editor closed'));
      waiting.clear();
    },
  };
  // A worker that cannot run (its script failed to load, say): everything waiting, and all later checks, run here.
  const fallBack = () => {
    worker?.terminate();
    worker = null;
    client.where = 'page';
    const pending = [...waiting.values()];
    waiting.clear();
    for (const w of pending) lintHere(w.doc).then(w.resolve, w.reject);
  };
  if (worker) {
    worker.onmessage = (event: MessageEvent<LintResponse>) => {
      const answer = event.data;
      const w = waiting.get(answer.id);
      if (!w) return;
      waiting.delete(answer.id);
      if ('findings' in answer) w.resolve(indexLint(answer.findings));
      else lintHere(w.doc).then(w.resolve, w.reject);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fallBack();
    };
  }
  return client;
}

function defaultWorker(): (() => Worker) | null {
  if (typeof Worker === 'undefined') return null;
  return () => new Worker(new URL('./lint.worker.ts', import.meta.url), { type: 'module', name: 'optline-analyzer' });
}
