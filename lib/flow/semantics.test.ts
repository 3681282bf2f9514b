import { describe, expect, it } from 'vitest';
import { parseFlow } from './parse';
import type { FlowDocument } from './schema';
import { payByTextDocument } from './test-fixtures';

function messages(doc: FlowDocument): string[] {
  const result = parseFlow(doc);
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('semantic checks', () => {
  it('refuses a duplicate node id', () => {
    const doc = payByTextDocument();
    doc.nodes[5]!.id = 'verify';
    expect(messages(doc)).toContain('nodes[5].id: "verify" is already the id of nodes[2]; node ids must be unique');
  });

  it('refuses a duplicate edge id', () => {
    const doc = payByTextDocument();
    doc.edges[1]!.id = doc.edges[0]!.id;
    expect(messages(doc)).toEqual(['edges[1].id: "e-start-notice" is already the id of edges[0]; edge ids must be unique']);
  });

  it('refuses an edge to a node that does not exist', () => {
    const doc = payByTextDocument();
    doc.edges[0]!.target = 'nowhere';
    expect(messages(doc)).toEqual(['edges[0].target: there is no node "nowhere"']);
  });

  it('refuses an output the source node does not have, naming the ones it has', () => {
    const doc = payByTextDocument();
    doc.edges[3]!.sourceHandle = 'ok';
    expect(messages(doc)).toEqual(['edges[3].sourceHandle: "ok" is not an output of Verify identity "verify"; use verified or failed']);
  });

  it('allows at most one edge per output', () => {
    const doc = payByTextDocument();
    doc.edges.push({ id: 'dup', source: 'notice', sourceHandle: 'granted', target: 'declined' });
    expect(messages(doc)).toEqual([
      `edges[${doc.edges.length - 1}]: output "granted" of "notice" already leads to "verify" (edges[1]); each output has at most one edge`,
    ]);
  });

  it('refuses edges out of an end node and into the trigger', () => {
    const doc = payByTextDocument();
    doc.edges.push({ id: 'x1', source: 'paid', sourceHandle: 'next', target: 'start' });
    expect(messages(doc)).toEqual([
      `edges[${doc.edges.length - 1}].target: nothing may lead into the Start node "start"`,
      `edges[${doc.edges.length - 1}].source: "paid" is an End node: it has no outputs`,
    ]);
  });

  it('needs exactly one trigger', () => {
    const doc = payByTextDocument();
    doc.nodes.push({ id: 'start2', type: 'trigger', data: { kind: 'manual' } });
    expect(messages(doc)).toEqual([
      `nodes: the flow has 2 Start (trigger) nodes (nodes[0], nodes[${doc.nodes.length - 1}]); keep exactly one`,
    ]);
    const none = payByTextDocument();
    none.nodes = none.nodes.filter((n) => n.type !== 'trigger');
    none.edges = none.edges.filter((e) => e.source !== 'start');
    expect(messages(none)).toEqual(['nodes: the flow has no Start (trigger) node; add exactly one']);
  });

  it('allows notice mode only for informational consent', () => {
    const doc = payByTextDocument();
    const notice = doc.nodes[1]!;
    if (notice.type !== 'consent.request') throw new Error('fixture changed');
    notice.data.purpose = 'marketing';
    expect(messages(doc)).toEqual([
      'nodes[1].data.mode: "notice" mode is only for informational consent; marketing needs an explicit YES (prior express written consent)',
    ]);
  });

  it('needs {{payment.link}} in a payment message', () => {
    const doc = payByTextDocument();
    const pay = doc.nodes[3]!;
    if (pay.type !== 'payment.request') throw new Error('fixture changed');
    pay.data.body = 'Please pay your bill.';
    expect(messages(doc)).toEqual(['nodes[3].data.body: the payment message must contain {{payment.link}}, the secure payment page']);
  });

  it('reports a template that does not parse, and an unknown variable', () => {
    const doc = payByTextDocument();
    const verify = doc.nodes[2]!;
    if (verify.type !== 'verify.identity') throw new Error('fixture changed');
    verify.data.body = 'Hi {{ contact.first_name';
    const receipt = doc.nodes[4]!;
    if (receipt.type !== 'message.send') throw new Error('fixture changed');
    receipt.data.body = 'Thanks {{ customer.name }}';
    expect(messages(doc)).toEqual([
      'nodes[2].data.body: the template does not parse: output "{{ contact.first_name" not closed',
      'nodes[4].data.body: {{customer.name}} is not a known variable; use contact.*, vars.*, payment.*, reply.*, verify.*',
    ]);
  });

  it('reports a bad template in every step that has it, when steps share the same text', () => {
    const doc = payByTextDocument();
    const verify = doc.nodes[2]!;
    const receipt = doc.nodes[4]!;
    if (verify.type !== 'verify.identity' || receipt.type !== 'message.send') throw new Error('fixture changed');
    verify.data.body = receipt.data.body = 'Thanks {{ customer.name }}';
    expect(messages(doc)).toEqual([
      'nodes[2].data.body: {{customer.name}} is not a known variable; use contact.*, vars.*, payment.*, reply.*, verify.*',
      'nodes[4].data.body: {{customer.name}} is not a known variable; use contact.*, vars.*, payment.*, reply.*, verify.*',
    ]);
  });

  it('needs {{verify.code}} in a one-time code message', () => {
    const doc = payByTextDocument();
    const verify = doc.nodes[2]!;
    if (verify.type !== 'verify.identity') throw new Error('fixture changed');
    verify.data.method = 'otp';
    expect(messages(doc)).toEqual(['nodes[2].data.body: a one-time code message must contain {{verify.code}}']);
    verify.data.body = 'Acme Dental: your code is {{verify.code}}.';
    expect(messages(doc)).toEqual([]);
  });

  it('refuses two branches with the same name and an empty window', () => {
    const doc = payByTextDocument();
    doc.nodes.push(
      {
        id: 'b',
        type: 'split',
        data: {
          on: 'reply',
          cases: [
            { handle: 'yes', equals: ['y'] },
            { handle: 'yes', equals: ['yes'] },
          ],
        },
      },
      { id: 'w', type: 'wait.window', data: { from: '09:00', to: '09:00' } },
    );
    const n = doc.nodes.length;
    expect(messages(doc)).toEqual([
      `nodes[${n - 2}].data.cases[1].handle: "yes" is already the name of another branch`,
      `nodes[${n - 1}].data.to: the window is empty: "from" and "to" are the same time`,
    ]);
  });

  it('refuses a loop that never waits (branches and variables only)', () => {
    const doc = payByTextDocument();
    doc.nodes.push(
      { id: 'again', type: 'split', data: { on: 'variable', variable: 'tries', cases: [{ handle: 'done', equals: ['3'] }] } },
      { id: 'count', type: 'variable.set', data: { assign: { tries: '{{vars.tries}}1' } } },
    );
    doc.edges.push(
      { id: 'x-1', source: 'again', sourceHandle: 'else', target: 'count' },
      { id: 'x-2', source: 'count', sourceHandle: 'next', target: 'again' },
      { id: 'x-3', source: 'again', sourceHandle: 'done', target: 'paid' },
    );
    const result = parseFlow(doc);
    expect(result.problems).toEqual([
      {
        rule: 'schema',
        severity: 'error',
        path: `edges[${doc.edges.length - 3}]`,
        edgeId: 'x-1',
        message:
          'this loop ("count", "again") never waits, so a contact entering it would go round forever; add a wait or a question to it',
      },
    ]);
  });
});
