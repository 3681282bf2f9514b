import { analyzeFlow } from './index';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';

/**
 * Small flows for the analyzer's tests, written as nodes and `source.output >
 * target` wiring; the edge id is `source.output`. `flowOf` validates the
 * document with `parseFlow`, so a test never analyzes a flow the editor
 * would refuse. Test-only.
 */

export const BRAND = 'Acme Dental';
export const OPTIN_BODY = `${BRAND}: reply YES for offers. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`;
export const NOTICE_BODY = `${BRAND}: we now send bills by text. Reply STOP to decline, HELP for help.`;
export const TEXT = `${BRAND}: hello from us.`;

type Purpose = 'informational' | 'marketing';

export const n = {
  api: (id = 'start'): FlowNode => ({ id, type: 'trigger', data: { kind: 'api' } }),
  keyword: (id = 'start'): FlowNode => ({ id, type: 'trigger', data: { kind: 'keyword', keywords: ['JOIN'] } }),
  schedule: (at: string, id = 'start'): FlowNode => ({ id, type: 'trigger', data: { kind: 'schedule', at } }),
  check: (id: string, purpose: Purpose): FlowNode => ({ id, type: 'consent.check', data: { purpose } }),
  optin: (id: string, purpose: Purpose = 'marketing', timeout = 'P1D', body = OPTIN_BODY): FlowNode => ({
    id,
    type: 'consent.request',
    data: { purpose, mode: 'explicit', body, timeout },
  }),
  notice: (id: string, noticePeriod = 'P2D', body = NOTICE_BODY): FlowNode => ({
    id,
    type: 'consent.request',
    data: { purpose: 'informational', mode: 'notice', body, noticePeriod },
  }),
  send: (id: string, purpose: Purpose, outsideHours?: 'send' | 'defer', body = TEXT): FlowNode => ({
    id,
    type: 'message.send',
    data: { purpose, body, ...(outsideHours ? { outsideHours } : {}) },
  }),
  ask: (id: string, purpose: Purpose, timeout = 'PT1H', outsideHours?: 'send' | 'defer', body = TEXT): FlowNode => ({
    id,
    type: 'message.ask',
    data: { purpose, body, timeout, ...(outsideHours ? { outsideHours } : {}) },
  }),
  split: (id: string): FlowNode => ({ id, type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes'] }] } }),
  wait: (id: string, duration: string): FlowNode => ({ id, type: 'wait.delay', data: { duration } }),
  window: (id: string, from: string, to: string): FlowNode => ({ id, type: 'wait.window', data: { from, to } }),
  verify: (id: string, timeout = 'PT1H'): FlowNode => ({
    id,
    type: 'verify.identity',
    data: { method: 'zip', body: `${BRAND}: reply with your ZIP code.`, maxAttempts: 3, timeout },
  }),
  pay: (id: string, expiresIn = 'P1D'): FlowNode => ({
    id,
    type: 'payment.request',
    data: { amount: 25, currency: 'usd', description: 'Invoice', body: `${BRAND}: pay here {{payment.link}}`, expiresIn },
  }),
  set: (id: string): FlowNode => ({ id, type: 'variable.set', data: { assign: { seen: 'yes' } } }),
  end: (id: string): FlowNode => ({ id, type: 'end' }),
};

/** A valid flow from nodes and wiring like `"start.next > check"`; throws with the first problem when the document is invalid. */
export function flowOf(nodes: FlowNode[], wiring: string[], policy: { quietHours?: 'federal' | 'strictest' } = {}): FlowDocument {
  const edges = wiring.map((w) => {
    const m = /^(.+)\.([^.>\s]+)\s*>\s*(.+)$/.exec(w.trim());
    if (!m) throw new Error(`bad wiring: ${w}`);
    return { id: `${m[1]}.${m[2]}`, source: m[1]!, sourceHandle: m[2]!, target: m[3]! };
  });
  const doc = { schemaVersion: 1, id: 'test', name: 'Test flow', policy: { brand: BRAND, ...policy }, nodes, edges };
  const parsed = parseFlow(doc);
  if (!parsed.ok) throw new Error(`invalid test flow: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.flow;
}

/** The errors of a flow as `{ rule, edgeId }` (or `{ rule, nodeId }` for node findings), in the order reported. */
export function errorsOf(flow: FlowDocument): { rule: string; edgeId?: string; nodeId?: string }[] {
  return analyzeFlow(flow)
    .problems.filter((p) => p.severity === 'error')
    .map((p) => (p.edgeId !== undefined ? { rule: p.rule, edgeId: p.edgeId } : { rule: p.rule, nodeId: p.nodeId! }));
}

/** The warnings of a flow as `{ rule, nodeId }`. */
export function warningsOf(flow: FlowDocument): { rule: string; nodeId?: string }[] {
  return analyzeFlow(flow)
    .problems.filter((p) => p.severity === 'warning')
    .map((p) => ({ rule: p.rule, nodeId: p.nodeId! }));
}
