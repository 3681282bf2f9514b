import { describe, expect, it } from 'vitest';
import { parseFlowJson } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import { TEMPLATES } from '@/workflows/index';
import { applyChange } from './changes';
import { copySelection, pasteClipboard } from './clipboard';
import { blankFlow, defaultNode, slugify, uniqueId } from './defaults';
import { layoutPositions, withPositions } from './layout';
import { lintFlow } from './lint';
import { keepUnchanged } from './lint-index';
import { createEdgeConverter, createNodeConverter, fromCanvas } from './react-flow';
import { serializeFlow } from './serialize';
import { createEditorStore, isDirty } from './store';
import { insertVariable, suggestVariables, flowVariables, variableAtCaret } from './variables';
import { NODE_TYPES } from '@/lib/flow/schema';

const payByText = TEMPLATES.find((t) => (t as { id: string }).id === 'pay-by-text') as FlowDocument;

function chain(): FlowDocument {
  const doc = blankFlow('t', 'T', 'Acme Dental');
  doc.nodes = [
    defaultNode('trigger', 'start', 'Acme Dental', { x: 0, y: 0 }),
    defaultNode('message.send', 'send-1', 'Acme Dental', { x: 0, y: 150 }),
    defaultNode('end', 'end-1', 'Acme Dental', { x: 0, y: 300 }),
  ];
  return doc;
}

describe('changes', () => {
  it('replaces the edge of an output that is already connected, keeping its id', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'send-1' } }).doc;
    const id = doc.edges[0]!.id;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'end-1' } }).doc;
    expect(doc.edges).toEqual([{ id, source: 'start', sourceHandle: 'next', target: 'end-1' }]);
  });

  it('refuses a connection into the Start step with a hint', () => {
    const r = applyChange(chain(), { type: 'connect', connection: { source: 'send-1', sourceHandle: 'sent', target: 'start' } });
    expect(r.refusal).toMatch(/Nothing can lead into the Start step/);
    expect(r.doc.edges).toHaveLength(0);
  });

  it('refuses a connection out of an End step with a hint', () => {
    const r = applyChange(chain(), { type: 'connect', connection: { source: 'end-1', sourceHandle: 'next', target: 'send-1' } });
    expect(r.refusal).toMatch(/End step/);
  });

  it('removes a node with every edge into and out of it', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'send-1' } }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'send-1', sourceHandle: 'sent', target: 'end-1' } }).doc;
    doc = applyChange(doc, { type: 'remove', nodeIds: ['send-1'] }).doc;
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'end-1']);
    expect(doc.edges).toEqual([]);
  });

  it('drops the edges of outputs an edit removes', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'add', nodes: [defaultNode('split', 'branch-1', 'A', { x: 0, y: 0 })] }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'branch-1', sourceHandle: 'yes', target: 'end-1' } }).doc;
    doc = applyChange(doc, {
      type: 'update-data',
      nodeId: 'branch-1',
      data: { on: 'reply', cases: [{ handle: 'no', equals: ['no'] }] },
    }).doc;
    expect(doc.edges).toEqual([]);
  });

  it('keeps the connection of a Branch case renamed, keystroke by keystroke', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'add', nodes: [defaultNode('split', 'branch-1', 'A', { x: 0, y: 0 })] }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'branch-1', sourceHandle: 'yes', target: 'end-1' } }).doc;
    const cases = (handle: string) => ({ on: 'reply', cases: [{ handle, equals: ['yes'] }] });
    for (const [from, to] of [
      ['yes', ''],
      ['', 'o'],
      ['o', 'ok'],
    ] as const) {
      doc = applyChange(doc, { type: 'update-data', nodeId: 'branch-1', data: cases(to), renamed: { from, to } }).doc;
    }
    expect(doc.edges.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([['branch-1', 'ok', 'end-1']]);
    // Renamed onto the name of an output that has its own connection, the renamed one's is not moved onto it.
    const two = (second: string) => ({
      on: 'reply',
      cases: [
        { handle: 'ok', equals: ['yes'] },
        { handle: second, equals: ['no'] },
      ],
    });
    doc = applyChange(doc, { type: 'update-data', nodeId: 'branch-1', data: two('maybe') }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'branch-1', sourceHandle: 'maybe', target: 'send-1' } }).doc;
    doc = applyChange(doc, { type: 'update-data', nodeId: 'branch-1', data: two('ok'), renamed: { from: 'maybe', to: 'ok' } }).doc;
    expect(doc.edges.map((e) => [e.sourceHandle, e.target])).toEqual([['ok', 'end-1']]);
    expect(doc.edges.map((e) => e.sourceHandle)).toEqual(['ok']);
  });

  it('gives every default node data the schema accepts', () => {
    const doc = blankFlow('all', 'All', 'Acme');
    doc.nodes = NODE_TYPES.map((t, i) => defaultNode(t, `n${i}`, 'Acme', { x: 0, y: i * 100 }));
    const lint = lintFlow(doc);
    expect(lint.problems.filter((p) => p.rule === 'schema')).toEqual([]);
  });
});

describe('store', () => {
  it('undo and redo restore the document exactly, and the dirty flag follows', () => {
    const store = createEditorStore(chain());
    const before = store.getState().doc;
    expect(isDirty(store.getState())).toBe(false);
    store.getState().apply({ type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'send-1' } });
    store.getState().apply({ type: 'move', positions: { 'send-1': { x: 10, y: 20 } } });
    const after = store.getState().doc;
    expect(isDirty(store.getState())).toBe(true);
    store.temporal.getState().undo(2);
    expect(store.getState().doc).toBe(before);
    expect(isDirty(store.getState())).toBe(false);
    store.temporal.getState().redo(2);
    expect(serializeFlow(store.getState().doc)).toBe(serializeFlow(after));
  });

  it('keeps selection and drags out of the history', () => {
    const store = createEditorStore(chain());
    store.getState().select({ nodes: ['send-1'] });
    store.getState().drag({ 'send-1': { x: 5, y: 5 } });
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('makes typing in one field one undo step', () => {
    let t = 0;
    const store = createEditorStore(chain(), { now: () => t });
    for (const body of ['A', 'Ac', 'Acm']) {
      t += 100;
      store
        .getState()
        .apply({ type: 'update-data', nodeId: 'send-1', data: { purpose: 'informational', body } }, { coalesceKey: 'send-1.body' });
    }
    expect(store.temporal.getState().pastStates).toHaveLength(1);
  });

  it('adds a node below the selected one and connects its first free output', () => {
    const store = createEditorStore(chain());
    const id = store.getState().addNode('wait.delay', undefined, 'send-1');
    const doc = store.getState().doc;
    expect(doc.edges).toEqual([{ id: 'e-send-1-sent', source: 'send-1', sourceHandle: 'sent', target: id }]);
    expect(store.getState().selection.nodes).toEqual([id]);
  });

  it('shows the hint of a refused connection', () => {
    const store = createEditorStore(chain());
    expect(store.getState().apply({ type: 'connect', connection: { source: 'send-1', sourceHandle: 'sent', target: 'start' } })).toBe(
      false,
    );
    expect(store.getState().hint).toMatch(/Start step/);
  });

  it('pastes copies with fresh ids and their inner edges', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'connect', connection: { source: 'send-1', sourceHandle: 'sent', target: 'end-1' } }).doc;
    const pasted = pasteClipboard(doc, copySelection(doc, ['start', 'send-1', 'end-1']));
    expect(pasted.nodes.map((n) => n.id)).toEqual(['send-1-copy', 'end-1-copy']);
    expect(pasted.edges).toEqual([{ id: 'e-send-1-copy-sent', source: 'send-1-copy', sourceHandle: 'sent', target: 'end-1-copy' }]);
  });
});

describe('export', () => {
  it('exports the template byte-for-byte stable and re-imports the same graph', () => {
    const text = serializeFlow(payByText);
    const parsed = parseFlowJson(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.flow).toEqual(payByText);
    expect(serializeFlow(parsed.flow)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('round-trips through the canvas form', () => {
    const nodes = createNodeConverter()(payByText, { selected: new Set(), dragging: null, measured: {} });
    const edges = createEdgeConverter()(payByText, new Set());
    expect(serializeFlow(fromCanvas(payByText, nodes, edges))).toBe(serializeFlow(payByText));
  });

  it('keeps the canvas objects of untouched nodes', () => {
    const convert = createNodeConverter();
    const view = { selected: new Set<string>(), dragging: null, measured: {} };
    const first = convert(payByText, view);
    const second = convert(payByText, { ...view, dragging: { verify: { x: 1, y: 2 } } });
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual(['verify']);
  });
});

describe('layout', () => {
  it('places every node and puts targets below their sources', () => {
    const positions = layoutPositions(payByText);
    expect(Object.keys(positions)).toHaveLength(payByText.nodes.length);
    expect(positions.pay!.y).toBeGreaterThan(positions.verify!.y);
  });

  it('leaves no two nodes overlapping, with the sizes the canvas measured', () => {
    const measured = Object.fromEntries(payByText.nodes.map((n, i) => [n.id, { width: 240, height: 120 + (i % 3) * 40 }]));
    const positions = layoutPositions(payByText, measured);
    const boxes = payByText.nodes.map((n) => ({ ...positions[n.id]!, ...measured[n.id]! }));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('lays out a document imported without positions', () => {
    const bare = { ...payByText, nodes: payByText.nodes.map(({ position: _p, ...n }) => n) } as FlowDocument;
    expect(withPositions(bare).nodes.every((n) => n.position)).toBe(true);
  });

  it('tidies up the canvas as one undo step (on the page where there is no Worker)', async () => {
    const doc = { ...payByText, nodes: payByText.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) };
    const store = createEditorStore(doc);
    await store.getState().autoLayout();
    const laid = store.getState().doc;
    expect(laid.nodes.map((n) => n.position)).toEqual(payByText.nodes.map((n) => layoutPositions(doc)[n.id]));
    expect(new Set(laid.nodes.map((n) => `${n.position!.x},${n.position!.y}`)).size).toBe(laid.nodes.length);
    store.temporal.getState().undo();
    expect(store.getState().doc).toBe(doc);
  });
});

describe('lint', () => {
  it('blocks the edge into a payment when identity is not verified first', () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'add', nodes: [defaultNode('payment.request', 'pay-1', 'Acme Dental', { x: 0, y: 0 })] }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'pay-1' } }).doc;
    const lint = lintFlow(doc);
    expect([...lint.blocked.keys()]).toContain('e-start-next');
    expect(lint.byNode.get('pay-1')?.errors).toBeGreaterThan(0);
  });

  it('points a schema problem at its node', () => {
    const doc = chain();
    doc.nodes[1] = { ...doc.nodes[1]!, data: { purpose: 'informational', body: ' ' } } as FlowDocument['nodes'][number];
    const lint = lintFlow(doc);
    expect(lint.problems).toContainEqual(expect.objectContaining({ rule: 'schema', nodeId: 'send-1', path: 'nodes[1].data.body' }));
  });

  it("keeps the previous answer's entries that did not change, so only the steps and connections whose problems changed re-render", () => {
    let doc = chain();
    doc = applyChange(doc, { type: 'add', nodes: [defaultNode('payment.request', 'pay-1', 'Acme Dental', { x: 0, y: 0 })] }).doc;
    doc = applyChange(doc, { type: 'connect', connection: { source: 'start', sourceHandle: 'next', target: 'pay-1' } }).doc;
    const before = lintFlow(doc);
    const moved = lintFlow(applyChange(doc, { type: 'move', positions: { 'pay-1': { x: 400, y: 20 } } }).doc);
    expect(moved.byNode.get('pay-1')).not.toBe(before.byNode.get('pay-1'));
    const kept = keepUnchanged(before, moved);
    expect(kept.byNode.get('pay-1')).toBe(before.byNode.get('pay-1'));
    expect(kept.blocked.get('e-start-next')).toBe(before.blocked.get('e-start-next'));
    expect(kept.problems).toBe(moved.problems);

    const broken = structuredClone(doc);
    broken.nodes[1] = { ...broken.nodes[1]!, data: { purpose: 'informational', body: ' ' } } as FlowDocument['nodes'][number];
    const changed = keepUnchanged(kept, lintFlow(broken));
    expect(changed.byNode.get('send-1')).not.toBe(kept.byNode.get('send-1'));
    expect(changed.byNode.get('send-1')?.errors).toBeGreaterThan(0);
    expect(changed.byNode.get('pay-1')).toBe(before.byNode.get('pay-1'));
  });

  it('finds no error in the templates', () => {
    for (const t of TEMPLATES) expect(lintFlow(t as FlowDocument).errors).toBe(0);
  });
});

describe('variables', () => {
  it("suggests contact, payment and the flow's own vars inside {{ }}", () => {
    const all = flowVariables(payByText);
    expect(all.map((v) => v.name)).toEqual(expect.arrayContaining(['contact.first_name', 'payment.link', 'vars.amount_due', 'reply.text']));
    const at = variableAtCaret('Hi {{ con', 9);
    expect(at).toEqual({ start: 6, prefix: 'con' });
    expect(suggestVariables(all, 'pay')[0]!.name).toBe('payment.link');
  });

  it('inserts the variable and closes the tag', () => {
    expect(insertVariable('Hi {{con', 8, 'contact.first_name')).toEqual({ text: 'Hi {{contact.first_name}}', caret: 25 });
    expect(insertVariable('Hi {{con}} x', 8, 'contact.first_name').text).toBe('Hi {{contact.first_name}} x');
  });
});

describe('defaults', () => {
  it('makes flow ids from names', () => {
    expect(slugify('Pay by Text — März!')).toBe('pay-by-text-marz');
    expect(uniqueId('pay', new Set(['pay', 'pay-2']))).toBe('pay-3');
  });
});
