import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@/lib/flow/schema';
import { nodeSchema } from '@/lib/flow/schema';
import { NODE_TYPES } from '@/lib/flow/node-types';
import { TEMPLATES } from '@/workflows/index';
import { lintFlow, lintFindings } from './lint';
import { answerLint } from './lint-answer';
import { createLintClient, type LintRequest, type LintResponse } from './lint-client';
import { indexLint } from './lint-index';
import { createNodeConverter, ESTIMATED_SIZE, estimatedHandles } from './react-flow';
import { safeOutputs } from './connection';

const payByText = TEMPLATES.find((t) => (t as { id: string }).id === 'pay-by-text') as FlowDocument;

/** The flow with its identity check taken out: the payment edge is blocked. */
function unverified(): FlowDocument {
  const doc = structuredClone(payByText);
  const verify = doc.nodes.find((n) => n.type === 'verify.identity')!;
  const into = doc.edges.filter((e) => e.target === verify.id);
  const out = doc.edges.find((e) => e.source === verify.id && e.sourceHandle === 'verified')!;
  doc.nodes = doc.nodes.filter((n) => n !== verify);
  doc.edges = doc.edges.filter((e) => e.source !== verify.id && e.target !== verify.id);
  for (const e of into) doc.edges.push({ ...e, target: out.target });
  return doc;
}

/**
 * A stand-in for the browser's Worker that answers with the worker's own
 * handler, passing both messages through structuredClone as postMessage does.
 * `hold` keeps answers back until released, to reorder them.
 */
class InProcessWorker {
  onmessage: ((event: MessageEvent<LintResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  held: LintResponse[] = [];
  hold = false;
  terminated = false;
  postMessage(message: LintRequest): void {
    const answer = structuredClone(answerLint(structuredClone(message)));
    if (this.hold) this.held.push(answer);
    else queueMicrotask(() => this.deliver(answer));
  }
  deliver(answer: LintResponse): void {
    if (!this.terminated) this.onmessage?.({ data: answer } as MessageEvent<LintResponse>);
  }
  fail(): void {
    this.onerror?.({ preventDefault() {} } as ErrorEvent);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('analysis off the main thread', () => {
  it('gives the same findings through the worker as on the page, after structured cloning', async () => {
    const worker = new InProcessWorker();
    const client = createLintClient(() => worker as unknown as Worker);
    expect(client.where).toBe('worker');
    const doc = unverified();
    const lint = await client.lint(doc);
    const here = lintFlow(doc);
    expect(lint.errors).toBeGreaterThan(0);
    expect(lint).toEqual(here);
    expect([...lint.blocked.keys()]).toEqual([...here.blocked.keys()]);
  });

  it('matches answers to their requests when they come back out of order', async () => {
    const worker = new InProcessWorker();
    worker.hold = true;
    const client = createLintClient(() => worker as unknown as Worker);
    const bad = client.lint(unverified());
    const good = client.lint(payByText);
    const [first, second] = worker.held;
    worker.deliver(second!);
    worker.deliver(first!);
    expect((await good).errors).toBe(0);
    expect((await bad).errors).toBeGreaterThan(0);
  });

  it('checks on the page when the worker fails, including what was waiting', async () => {
    const worker = new InProcessWorker();
    worker.hold = true;
    const client = createLintClient(() => worker as unknown as Worker);
    const waiting = client.lint(unverified());
    worker.fail();
    expect(client.where).toBe('page');
    expect(worker.terminated).toBe(true);
    expect((await waiting).errors).toBeGreaterThan(0);
    expect((await client.lint(payByText)).errors).toBe(0);
  });

  it('checks on the page without a Worker, or when one cannot start', async () => {
    expect(createLintClient(null).where).toBe('page');
    const broken = createLintClient(() => {
      throw new Error('blocked by policy');
    });
    expect(broken.where).toBe('page');
    expect((await broken.lint(unverified())).errors).toBeGreaterThan(0);
  });

  it('reads anything it is sent: not even a missing document stops the worker', () => {
    const answer = answerLint({ id: 7, doc: null as unknown as FlowDocument });
    expect(answer).toMatchObject({ id: 7, findings: { valid: false } });
  });

  it('checks on the page when the worker answers with an error', async () => {
    const worker = new InProcessWorker();
    worker.hold = true;
    const client = createLintClient(() => worker as unknown as Worker);
    const pending = client.lint(payByText);
    worker.deliver({ id: 1, error: 'out of memory' });
    expect((await pending).errors).toBe(0);
  });

  it('ends waiting checks when the editor closes', async () => {
    const worker = new InProcessWorker();
    worker.hold = true;
    const client = createLintClient(() => worker as unknown as Worker);
    const pending = client.lint(payByText);
    client.dispose();
    await expect(pending).rejects.toThrow(/closed/);
    expect(worker.terminated).toBe(true);
  });

  it('indexes findings made elsewhere (the server) exactly as lintFlow does', () => {
    const doc = unverified();
    const findings = structuredClone(lintFindings(doc));
    expect(indexLint(findings)).toEqual(lintFlow(doc));
  });
});

describe('first screen', () => {
  it('lists the same node types as the schema, without loading it', () => {
    const schemaTypes = nodeSchema.options.map((o) => o.shape.type.value);
    expect([...NODE_TYPES].sort()).toEqual([...schemaTypes].sort());
  });

  it('gives unmeasured steps of a large canvas an estimated size and one handle per output', () => {
    const toNodes = createNodeConverter();
    const view = { selected: new Set<string>(), dragging: null, measured: {} };
    const plain = toNodes(payByText, view);
    expect(plain.every((n) => n.measured === undefined && n.handles === undefined)).toBe(true);
    const estimated = createNodeConverter()(payByText, { ...view, estimate: true });
    for (const [i, node] of payByText.nodes.entries()) {
      const rf = estimated[i]!;
      expect(rf.measured).toEqual(ESTIMATED_SIZE);
      const sources = rf.handles!.filter((h) => h.type === 'source').map((h) => h.id);
      expect(sources).toEqual(safeOutputs(node));
      expect(rf.handles!.some((h) => h.type === 'target')).toBe(node.type !== 'trigger');
      for (const h of rf.handles!) {
        expect(h.x).toBeGreaterThanOrEqual(-5);
        expect(h.x).toBeLessThanOrEqual(ESTIMATED_SIZE.width);
      }
    }
    // Once measured, the real size replaces the estimate and React Flow keeps the handles it measured.
    const first = payByText.nodes[0]!.id;
    const measured = createNodeConverter()(payByText, { ...view, estimate: true, measured: { [first]: { width: 240, height: 132 } } });
    expect(measured[0]!.measured).toEqual({ width: 240, height: 132 });
    expect(measured[0]!.handles).toBeUndefined();
    expect(estimatedHandles(payByText.nodes[0]!)).toHaveLength(safeOutputs(payByText.nodes[0]!).length);
  });
});
