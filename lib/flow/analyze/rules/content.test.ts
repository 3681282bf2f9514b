import { describe, expect, it } from 'vitest';
import { checkOptinDisclosures, describeMissingDisclosures } from '@/lib/compliance/content-rules';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { BRAND, flowOf, n, OPTIN_BODY, TEXT, warningsOf } from '@/lib/flow/analyze/test-flows';

const optinFlow = (body: string) =>
  flowOf(
    [n.api(), n.optin('optin', 'marketing', 'P1D', body), n.end('stop')],
    ['start.next > optin', 'optin.granted > stop', 'optin.declined > stop', 'optin.timeout > stop'],
  );

const sendFlow = (first: ReturnType<typeof n.send>, second = n.send('second', 'informational')) =>
  flowOf(
    [n.api(), n.check('check', 'informational'), n.end('stop'), first, second],
    [
      'start.next > check',
      'check.missing > stop',
      `check.granted > ${first.id}`,
      `${first.id}.sent > ${second.id}`,
      `${first.id}.failed > stop`,
      `${second.id}.sent > stop`,
      `${second.id}.failed > stop`,
    ],
  );

const findings = (flow: ReturnType<typeof flowOf>, rule: string) =>
  analyzeFlow(flow)
    .problems.filter((p) => p.rule === rule)
    .map(({ severity, nodeId, edgeId, path }) => ({ severity, nodeId, edgeId, path }));

describe('optin-disclosures', () => {
  it('accepts a marketing opt-in with every disclosure', () => {
    expect(findings(optinFlow(OPTIN_BODY), 'optin-disclosures')).toEqual([]);
  });

  it("reports an opt-in without STOP on the node and its body, with the content rules' own sentence", () => {
    const body = OPTIN_BODY.replace(', STOP to opt out', '');
    const flow = optinFlow(body);
    expect(findings(flow, 'optin-disclosures')).toEqual([
      { severity: 'error', nodeId: 'optin', edgeId: undefined, path: 'nodes[1].data.body' },
    ]);
    const { missing } = checkOptinDisclosures({ body, purpose: 'marketing', mode: 'explicit', brand: BRAND });
    expect(missing).toContain('stop');
    const problem = analyzeFlow(flow).problems.find((p) => p.rule === 'optin-disclosures');
    expect(problem?.message).toBe(describeMissingDisclosures(missing, { purpose: 'marketing', mode: 'explicit', brand: BRAND }));
    expect(analyzeFlow(flow).blockedEdges).toEqual([]);
  });
});

describe('no-card-data', () => {
  it('reports a text asking for a card number and CVV on its body', () => {
    const flow = sendFlow(n.send('ask-card', 'informational', undefined, `${BRAND}: reply with your card number and CVV to pay.`));
    const found = findings(flow, 'no-card-data');
    expect(found.length).toBeGreaterThan(0);
    for (const f of found) expect(f).toEqual({ severity: 'error', nodeId: 'ask-card', edgeId: undefined, path: 'nodes[3].data.body' });
  });

  it('checks every template, also variables and nodes no run reaches', () => {
    const flow = flowOf(
      [n.api(), n.end('stop'), { id: 'note', type: 'variable.set', data: { assign: { hint: 'Send us your card number' } } }],
      ['start.next > stop', 'note.next > stop'],
    );
    expect(findings(flow, 'no-card-data').map((f) => f.path)).toContain('nodes[2].data.assign.hint');
  });

  it('reports the same text in every step that sends it', () => {
    const body = `${BRAND}: reply with your card number to pay.`;
    const flow = sendFlow(n.send('first', 'informational', undefined, body), n.send('second', 'informational', undefined, body));
    expect(findings(flow, 'no-card-data').map((f) => f.nodeId)).toEqual(['first', 'second']);
  });

  it('accepts an ordinary text', () => {
    expect(findings(sendFlow(n.send('ok', 'informational', undefined, TEXT)), 'no-card-data')).toEqual([]);
  });
});

describe('sender identification', () => {
  it('warns when the first text can go out without naming the brand', () => {
    const flow = sendFlow(n.send('first', 'informational', undefined, 'Your bill is ready.'));
    expect(warningsOf(flow)).toContainEqual({ rule: 'sender-id', nodeId: 'first' });
  });

  it('does not warn about later texts, or a first text that names the brand', () => {
    const flow = sendFlow(n.send('first', 'informational'), n.send('second', 'informational', undefined, 'Thanks!'));
    expect(warningsOf(flow).filter((w) => w.rule === 'sender-id')).toEqual([]);
  });
});

describe('segments', () => {
  it('warns about a body longer than 3 segments on its path', () => {
    const long = `${BRAND}: ${'Your appointment details are below. '.repeat(20)}`;
    expect(findings(sendFlow(n.send('long', 'informational', undefined, long)), 'segments')).toEqual([
      { severity: 'warning', nodeId: 'long', edgeId: undefined, path: 'nodes[3].data.body' },
    ]);
  });

  it('does not warn about a short plain text', () => {
    expect(findings(sendFlow(n.send('short', 'informational')), 'segments')).toEqual([]);
  });
});
