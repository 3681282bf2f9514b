import { describe, expect, it } from 'vitest';
import { diffFlows } from './diff';
import type { FlowDocument, FlowNode } from './schema';
import { payByTextDocument } from './test-fixtures';

const node = (doc: FlowDocument, id: string): FlowNode => {
  const found = doc.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};

describe('diffFlows', () => {
  it('finds nothing between a document and its copy with the lists reordered', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    after.nodes.reverse();
    after.edges.reverse();
    const diff = diffFlows(before, after);
    expect(diff.hasContentChanges).toBe(false);
    expect(diff.changes).toEqual([]);
    expect(diff.nodes).toEqual({ added: [], removed: [], changed: [], moved: [] });
    expect(diff.edges).toEqual({ added: [], removed: [], changed: [] });
  });

  it('lists a changed message body at its field path with the old and new text', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    const receipt = node(after, 'receipt');
    if (receipt.type !== 'message.send') throw new Error('receipt is a message');
    receipt.data.body = 'Acme Dental: thank you, paid.';
    const diff = diffFlows(before, after);
    expect(diff.nodes.changed).toEqual([
      {
        id: 'receipt',
        fields: [
          {
            path: 'nodes.receipt.data.body',
            kind: 'changed',
            before: (node(before, 'receipt').data as { body: string }).body,
            after: 'Acme Dental: thank you, paid.',
          },
        ],
      },
    ]);
    expect(diff.changes).toHaveLength(1);
    expect(diff.hasContentChanges).toBe(true);
  });

  it('counts a node dragged to a new place as moved, not as a content change', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    node(after, 'pay').position = { x: 1000, y: 10 };
    const diff = diffFlows(before, after);
    expect(diff.nodes.moved).toEqual(['pay']);
    expect(diff.nodes.changed).toEqual([]);
    expect(diff.changes).toEqual([]);
    expect(diff.hasContentChanges).toBe(false);
  });

  it('lists a node both moved and edited under moved and changed, without the position among its fields', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    const pay = node(after, 'pay');
    pay.position = { x: 5, y: 5 };
    pay.label = 'Secure payment link';
    const diff = diffFlows(before, after);
    expect(diff.nodes.moved).toEqual(['pay']);
    expect(diff.nodes.changed).toEqual([
      { id: 'pay', fields: [{ path: 'nodes.pay.label', kind: 'changed', before: 'Payment link', after: 'Secure payment link' }] },
    ]);
  });

  it('names added and removed nodes and edges, quoting ids that are not identifiers', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    after.nodes = after.nodes.filter((n) => n.id !== 'final-notice');
    after.edges = after.edges.filter((e) => e.source !== 'final-notice' && e.target !== 'final-notice');
    after.nodes.push({ id: 'thanks', type: 'end', position: { x: 0, y: 0 } });
    after.edges.push({ id: 'e-pay-again-expired-end', source: 'pay-again', sourceHandle: 'expired', target: 'thanks' });
    const diff = diffFlows(before, after);
    expect(diff.nodes.added).toEqual(['thanks']);
    expect(diff.nodes.removed).toEqual(['final-notice']);
    expect(diff.edges.added).toEqual(['e-pay-again-expired-end']);
    expect(diff.edges.removed).toEqual(['e-pay-again-expired', 'e-final-sent', 'e-final-failed']);
    expect(diff.changes.map((c) => `${c.kind} ${c.path}`)).toEqual([
      'added nodes.thanks',
      'removed nodes["final-notice"]',
      'added edges["e-pay-again-expired-end"]',
      'removed edges["e-pay-again-expired"]',
      'removed edges["e-final-sent"]',
      'removed edges["e-final-failed"]',
    ]);
    expect(diff.changes[1]!.before).toEqual(node(before, 'final-notice'));
  });

  it('lists a rewired edge as a change of its target', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    after.edges = after.edges.map((e) => (e.id === 'e-receipt-failed' ? { ...e, target: 'unpaid' } : e));
    const diff = diffFlows(before, after);
    expect(diff.edges.changed).toEqual([
      { id: 'e-receipt-failed', fields: [{ path: 'edges["e-receipt-failed"].target', kind: 'changed', before: 'paid', after: 'unpaid' }] },
    ]);
  });

  it("lists policy, name and description changes first, as the flow's own fields", () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    after.name = 'Pay by text v2';
    after.policy = { brand: 'Acme', quietHours: 'federal' };
    delete after.description;
    const diff = diffFlows(before, after);
    expect(diff.document).toEqual([
      { path: 'name', kind: 'changed', before: 'Pay by text', after: 'Pay by text v2' },
      { path: 'description', kind: 'removed', before: before.description },
      { path: 'policy.brand', kind: 'changed', before: 'Acme Dental', after: 'Acme' },
      { path: 'policy.quietHours', kind: 'changed', before: 'strictest', after: 'federal' },
    ]);
    expect(diff.changes.slice(0, 4)).toEqual(diff.document);
  });

  it('diffs lists inside node data element by element', () => {
    const before = payByTextDocument();
    before.nodes.push({
      id: 'route',
      type: 'split',
      data: { on: 'variable', variable: 'plan', cases: [{ handle: 'gold', equals: ['gold'] }] },
    });
    const after = structuredClone(before);
    (node(after, 'route').data as { cases: unknown[] }).cases.push({ handle: 'silver', equals: ['silver'] });
    const diff = diffFlows(before, after);
    expect(diff.changes).toEqual([{ path: 'nodes.route.data.cases[1]', kind: 'added', after: { handle: 'silver', equals: ['silver'] } }]);
  });

  it('lists a node whose type changed with its type and its data', () => {
    const before = payByTextDocument();
    const after = payByTextDocument();
    after.nodes = after.nodes.map((n) =>
      n.id === 'paid'
        ? ({ id: 'paid', type: 'wait.delay', label: 'Paid', position: n.position, data: { duration: 'P1D' } } as FlowNode)
        : n,
    );
    const diff = diffFlows(before, after);
    expect(diff.nodes.changed[0]!.fields.map((f) => `${f.kind} ${f.path}`)).toEqual(['changed nodes.paid.type', 'added nodes.paid.data']);
  });

  it('against nothing, lists every node and edge as added', () => {
    const after = payByTextDocument();
    const diff = diffFlows(null, after);
    expect(diff.nodes.added).toEqual(after.nodes.map((n) => n.id));
    expect(diff.edges.added).toEqual(after.edges.map((e) => e.id));
    expect(diff.nodes.moved).toEqual([]);
    expect(diff.document.map((c) => c.path)).toEqual(['schemaVersion', 'id', 'name', 'description', 'policy']);
  });
});
