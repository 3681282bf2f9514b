import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode, type ErrorDetail } from '@/lib/app-error';
import { formatBytes } from '@/lib/bytes';
import type { FlowText } from '@/lib/flows/flow-bodies';
import { FLOW_LIMITS } from '@/lib/flows/flow-limits';
import { readFlowBody, type FlowBodyKind } from './flow-body-text';

/**
 * Reading a big flow body off the server's thread. A 10,000-step document
 * costs about 100 ms of parsing and validation (docs/architecture.md,
 * "Big flows"), during which the server would answer nobody; a worker
 * thread does it instead, within a budget of time and memory, one body at a
 * time. The body's bytes go to the thread and the document's bytes to store
 * (binary jsonb) come back as transferred buffers, never copied or decoded
 * on the server's thread (a structured clone of the parsed document would
 * cost it as much as the reading; a 5 MB string, several milliseconds).
 */

/** A body up to this many bytes is read on the server's thread: a millisecond's work or so (about 200 steps). */
export const INLINE_MAX_BYTES = 64 * 1024;

/** What reading one body may take, and how many may wait for the thread. */
export const FLOW_READ_BUDGET = {
  /** A 10,000-step flow reads in a fraction of a second; ten seconds means something is wrong with it (or the machine). */
  ms: 10_000,
  /** The thread's heap: a 10,000-step document reads in about 30 MB; this leaves room for odd ones within 5 MB. */
  heapMb: 256,
  /** Bodies waiting for the thread (each up to 5 MB held in memory) before another is refused with a 429. */
  waiting: 8,
} as const;

interface Job {
  id: number;
  body: Uint8Array;
  kind: FlowBodyKind;
  resolve: (text: FlowText) => void;
  reject: (err: unknown) => void;
  timer?: NodeJS.Timeout;
}

/** What the worker answers for a job (flow-body.worker.ts). */
export type FlowBodyReply =
  | { id: number; ok: true; text: FlowText }
  | { id: number; ok: false; error: { code: ErrorCode; message: string; path?: string; details?: ErrorDetail[] } }
  | { id: number; ok: false; crash: string };

/** What the server's thread sends the worker. */
export interface FlowBodyRequest {
  id: number;
  /** The body's bytes, the whole of a buffer that is transferred. */
  body: Uint8Array;
  kind: FlowBodyKind;
}

/**
 * Reads a flow body (lib/http/flow-body-text.ts): a small one here, a big
 * one in the worker thread. Past the budget: a 422 naming the limit; with
 * too many waiting: a 429.
 */
export function readOffThread(body: Uint8Array, kind: FlowBodyKind): Promise<FlowText> {
  if (body.byteLength <= INLINE_MAX_BYTES) return Promise.resolve().then(() => readFlowBody(body, kind));
  return (processThread ??= new FlowBodyThread()).read(body, kind);
}

let processThread: FlowBodyThread | undefined;

/** What a FlowBodyThread may spend (FLOW_READ_BUDGET unless a test says otherwise). */
export type FlowReadBudget = { readonly [K in keyof typeof FLOW_READ_BUDGET]: number };

/** One worker thread, started on the first big body, replaced after a failure, never holding the process open while idle. */
export class FlowBodyThread {
  constructor(private readonly budget: FlowReadBudget = FLOW_READ_BUDGET) {}

  private worker: Worker | undefined;
  private ready = false;
  private readonly waiting: Job[] = [];
  private current: Job | undefined;
  private nextId = 1;

  /** Reads `body` in the thread; its buffer is handed over (a view on part of a buffer is copied first). */
  read(body: Uint8Array, kind: FlowBodyKind): Promise<FlowText> {
    if (this.waiting.length + (this.current ? 1 : 0) >= this.budget.waiting) {
      return Promise.reject(
        new AppError('too_many_requests', `the server is reading ${this.budget.waiting} other big flows: send this one again in a moment`),
      );
    }
    return new Promise<FlowText>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, body: wholeBuffer(body), kind, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.current) return;
    if (this.waiting.length === 0) {
      this.worker?.unref();
      return;
    }
    const worker = this.started();
    worker.ref();
    // The thread's start (loading the schema's code) is not the body's to pay for: its time starts when the thread is ready.
    if (!this.ready) return;
    const job = this.waiting.shift()!;
    this.current = job;
    job.timer = setTimeout(() => {
      // The stuck thread goes first, so the next body gets a new one.
      this.discard(worker);
      this.finish(
        job,
        new AppError(
          'unprocessable',
          `reading the flow took over ${this.budget.ms / 1000} s, the most Optline spends on one (flows of up to ${FLOW_LIMITS.steps.toLocaleString('en-US')} steps and ${formatBytes(FLOW_LIMITS.bytes)})`,
        ),
      );
    }, this.budget.ms);
    worker.postMessage({ id: job.id, body: job.body, kind: job.kind } satisfies FlowBodyRequest, [job.body.buffer as ArrayBuffer]);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const options = { name: 'optline-flow-body', resourceLimits: { maxOldGenerationSizeMb: this.budget.heapMb } };
    // In the build the worker is a chunk of its own (the bundler follows `new Worker(new URL(…))`); run from the
    // sources (tsx, vitest), it is TypeScript, which flow-body.worker-tsx.mjs loads through tsx.
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(loadThroughTsx(), { ...options, eval: true })
      : new Worker(new URL('./flow-body.worker.ts', import.meta.url), options);
    worker.on('message', (reply: FlowBodyReply | { ready: true }) => {
      if ('ready' in reply) {
        this.ready = true;
        this.next();
        return;
      }
      const job = this.current;
      if (!job || job.id !== reply.id) return;
      if (reply.ok) this.finish(job, undefined, reply.text);
      else if ('error' in reply) {
        const { code, message, path, details } = reply.error;
        this.finish(job, new AppError(code, message, { path, details }));
      } else this.finish(job, new Error(`reading a flow body failed in its worker thread: ${reply.crash}`));
    });
    const lost = (err: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.ready = false;
      const job = this.current;
      if (!job) {
        // The thread could not start: nothing it was given can be read (a fault of ours, logged as a 500).
        for (const waiting of this.waiting.splice(0))
          waiting.reject(new Error('the worker thread for flow bodies did not start', { cause: err }));
        return;
      }
      const outOfMemory = (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.finish(
        job,
        outOfMemory
          ? new AppError('unprocessable', `reading the flow needed more than ${this.budget.heapMb} MB, the most Optline gives one`)
          : new Error('the worker thread reading a flow body stopped', { cause: err }),
      );
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private finish(job: Job, err: unknown, text?: FlowText): void {
    if (this.current !== job) return;
    clearTimeout(job.timer);
    this.current = undefined;
    if (err === undefined) job.resolve(text!);
    else job.reject(err);
    this.next();
  }

  private discard(worker: Worker): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = false;
    }
    void worker.terminate();
  }
}

/**
 * The code of a thread that loads flow-body.worker-tsx.mjs (tsx's loader, then
 * the TypeScript worker). Given as code, not as a path, so the bundler does
 * not take the sources' loader (and tsx with it) into the build.
 */
function loadThroughTsx(): string {
  const loader = import.meta.url.replace(/flow-body-thread\.ts$/, 'flow-body.worker-tsx.mjs');
  return `import(${JSON.stringify(loader)});`;
}

/** `bytes` on a buffer of its own (the one handed to the thread), copied only when it is a view on part of a bigger one. */
function wholeBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}
