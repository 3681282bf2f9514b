import { getShortestPaths, getSimplePaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors, initialTransition, transition, type AnyEventObject } from 'xstate';
import appointmentReminder from '@/workflows/appointment-reminder.json';
import optinNotice from '@/workflows/optin-notice.json';
import payByText from '@/workflows/pay-by-text.json';
import type { Purpose } from '@/lib/compliance/types';
import { createFlowMachine, type FlowMachine } from './compile';
import { isFlowEffect, nodeIdOfState, type FlowEffect, type FlowEvent } from './machine-events';
import { parseFlow } from './parse';
import type { FlowDocument, FlowEdge, FlowNode } from './schema';

/**
 * Path enumeration over compiled machines (issue 3, item 5, the @xstate/graph
 * half): every simple path of a small machine, under every event its states
 * accept, must keep the two promises the analyzer makes — no text of purpose P
 * before consent for P, no payment request before verified identity.
 */

function valid(doc: unknown): FlowDocument {
  const parsed = parseFlow(doc);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return parsed.flow;
}

type Snapshot = ReturnType<typeof initialTransition<FlowMachine>>[0];

/** The replies offered at each state: consent answers, every split text of the flow, and one nobody expects. */
function repliesOf(flow: FlowDocument): string[] {
  const texts = new Set(['yes', 'no', 'maybe later']);
  for (const node of flow.nodes) {
    if (node.type !== 'split') continue;
    for (const c of node.data.cases) for (const t of [...(c.equals ?? []), ...(c.contains ?? [])].slice(0, 1)) texts.add(t);
  }
  return [...texts];
}

/** The concrete events a state accepts: every descriptor it listens to, for the node it is at; timers as they fire. */
function eventsAt(flow: FlowDocument): (state: Snapshot) => FlowEvent[] {
  const replies = repliesOf(flow);
  return (state) => {
    const nodeId = nodeIdOfState(state.value as string | Record<string, unknown>);
    return __unsafe_getAllOwnEventDescriptors(state).flatMap((type): FlowEvent[] => {
      switch (type) {
        case 'reply':
          return replies.map((text) => ({ type: 'reply', text }));
        case 'payment.paid':
          return [{ type, nodeId, amount: 42.5, receiptUrl: 'https://pay.example/r/1' }];
        case 'payment.failed':
          return [{ type, nodeId, reason: 'card declined' }];
        case 'sms.sent':
        case 'sms.failed':
        case 'consent.granted':
        case 'consent.missing':
        case 'window.open':
        case 'identity.verified':
        case 'identity.failed':
          return [{ type, nodeId }];
        default:
          if (type.startsWith('xstate.after.')) return [{ type } as unknown as FlowEvent];
          throw new Error(`no test event for "${type}"`);
      }
    });
  };
}

interface Violation {
  rule: 'consent-required' | 'verify-before-pay';
  at: string;
  path: string[];
}

/**
 * Replays a path with XState's pure transitions and checks each effect
 * against what happened before it on the path.
 */
function checkPath(machine: FlowMachine, events: readonly AnyEventObject[]): Violation[] {
  const granted = new Set<Purpose>();
  const checkedPurpose = new Map<string, Purpose>();
  let verified = false;
  const trail: string[] = [];
  const violations: Violation[] = [];
  const covered = (p: Purpose) => granted.has(p) || granted.has('marketing');

  const inspect = (actions: readonly { type: string; params?: unknown }[]) => {
    for (const action of actions) {
      if (!isFlowEffect(action)) continue;
      const effect = { type: action.type, params: action.params } as FlowEffect;
      trail.push(`${effect.type}(${effect.params.nodeId})`);
      switch (effect.type) {
        case 'recordConsent':
          if (effect.params.action === 'grant') granted.add(effect.params.purpose);
          break;
        case 'checkConsent':
          checkedPurpose.set(effect.params.nodeId, effect.params.purpose);
          break;
        case 'sendSms':
          // The opt-in request itself is how consent is asked (COMPLIANCE.md, consent-required).
          if (effect.params.kind !== 'consent' && !covered(effect.params.purpose))
            violations.push({ rule: 'consent-required', at: effect.params.nodeId, path: [...trail] });
          break;
        case 'startVerification':
          if (!covered('informational')) violations.push({ rule: 'consent-required', at: effect.params.nodeId, path: [...trail] });
          break;
        case 'requestPayment':
          if (!covered('informational')) violations.push({ rule: 'consent-required', at: effect.params.nodeId, path: [...trail] });
          if (!verified) violations.push({ rule: 'verify-before-pay', at: effect.params.nodeId, path: [...trail] });
          break;
        case 'waitForWindow':
        case 'endRun':
          break;
      }
    }
  };

  let [snapshot, actions] = initialTransition(machine, {});
  inspect(actions);
  for (const event of events) {
    const before = snapshot;
    [snapshot, actions] = transition(machine, snapshot, event as FlowEvent);
    const moved = JSON.stringify(before.value) !== JSON.stringify(snapshot.value);
    trail.push(event.type);
    if (moved && event.type === 'consent.granted') {
      const purpose = checkedPurpose.get(String(event.nodeId));
      if (purpose) granted.add(purpose);
    }
    if (moved && event.type === 'identity.verified') verified = true;
    inspect(actions);
  }
  return violations;
}

/** Every simple path from the start of the flow's machine, as its event lists. */
function simplePathEvents(flow: FlowDocument): { machine: FlowMachine; paths: AnyEventObject[][] } {
  const machine = createFlowMachine(flow);
  const paths = getSimplePaths(machine, { events: eventsAt(flow) as never, input: {} });
  // Each step holds a state and the event that led to it; the first is the start (xstate.init).
  return { machine, paths: paths.map((p) => p.steps.slice(1).map((s) => s.event as AnyEventObject)) };
}

function reachedNodes(flow: FlowDocument): string[] {
  const machine = createFlowMachine(flow);
  const paths = getShortestPaths(machine, { events: eventsAt(flow) as never, input: {} });
  return [...new Set(paths.map((p) => nodeIdOfState(p.state.value as string | Record<string, unknown>)))].sort();
}

function flowOf(nodes: FlowNode[], edges: [string, string, string][], id = 'hand-made'): FlowDocument {
  const e: FlowEdge[] = edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target }));
  return valid({ schemaVersion: 1, id, name: 'Hand-made', policy: { brand: 'Acme' }, nodes, edges: e });
}

const start: FlowNode = { id: 'start', type: 'trigger', data: { kind: 'manual' } };
const end = (id: string): FlowNode => ({ id, type: 'end' });
const send = (id: string, purpose: Purpose): FlowNode => ({ id, type: 'message.send', data: { purpose, body: `Acme: ${id}` } });

describe('path enumeration over the compiled templates', () => {
  for (const [name, doc, expectedPaths] of [
    ['optin-notice', optinNotice, 6],
    ['appointment-reminder', appointmentReminder, 86],
    ['pay-by-text', payByText, 31],
  ] as const) {
    it(`keeps consent before every text and verification before every payment on every simple path of ${name}`, () => {
      const { machine, paths } = simplePathEvents(valid(doc));
      expect(paths).toHaveLength(expectedPaths);
      for (const events of paths) expect(checkPath(machine, events)).toEqual([]);
    });
  }

  // Triggers and splits are transient: a run never rests there.
  const restingNodes = (flow: FlowDocument) =>
    flow.nodes
      .filter((n) => n.type !== 'trigger' && n.type !== 'split')
      .map((n) => n.id)
      .sort();

  it('reaches every node of pay-by-text on some shortest path', () => {
    const flow = valid(payByText);
    expect(reachedNodes(flow)).toEqual(restingNodes(flow));
  });

  it('reaches every node of the appointment reminder, including the clarifying question', () => {
    const flow = valid(appointmentReminder);
    expect(reachedNodes(flow)).toEqual(restingNodes(flow));
  });

  it('enumerates the pay-by-text path that pays after a second link', () => {
    const { paths } = simplePathEvents(valid(payByText));
    const types = paths.map((events) => events.map((e) => e.type.replace(/^xstate\.after\.(\d+)\..*$/, 'timer($1)')));
    expect(types).toContainEqual(['sms.sent', 'timer(172800000)', 'identity.verified', 'timer(259200000)', 'sms.sent', 'payment.paid']);
  });
});

describe('path enumeration over hand-made flows', () => {
  it('finds no violation in a marketing flow gated by a consent check, with a question loop', () => {
    const flow = flowOf(
      [
        start,
        { id: 'gate', type: 'consent.check', data: { purpose: 'marketing' } },
        { id: 'offer', type: 'message.ask', data: { purpose: 'marketing', body: 'Acme: 20% off? Reply YES or NO', timeout: 'P1D' } },
        {
          id: 'answer',
          type: 'split',
          data: {
            on: 'reply',
            cases: [
              { handle: 'yes', equals: ['yes'] },
              { handle: 'no', equals: ['no'] },
            ],
          },
        },
        send('thanks', 'marketing'),
        end('done'),
      ],
      [
        ['start', 'next', 'gate'],
        ['gate', 'granted', 'offer'],
        ['gate', 'missing', 'done'],
        ['offer', 'reply', 'answer'],
        ['offer', 'timeout', 'done'],
        ['answer', 'yes', 'thanks'],
        ['answer', 'no', 'done'],
        ['answer', 'else', 'offer'],
        ['thanks', 'sent', 'done'],
        ['thanks', 'failed', 'done'],
      ],
    );
    const { machine, paths } = simplePathEvents(flow);
    expect(paths).toHaveLength(38);
    for (const events of paths) expect(checkPath(machine, events)).toEqual([]);
    expect(reachedNodes(flow)).toEqual(['done', 'gate', 'offer', 'thanks']);
  });

  it('counts an explicit YES and marketing consent as covering informational texts', () => {
    const flow = flowOf(
      [
        start,
        {
          id: 'optin',
          type: 'consent.request',
          data: { purpose: 'marketing', mode: 'explicit', body: 'Acme: reply YES for offers. STOP to end. HELP for help.', timeout: 'P1D' },
        },
        send('welcome', 'informational'),
        { id: 'later', type: 'wait.window', data: { from: '10:00', to: '18:00' } },
        send('promo', 'marketing'),
        end('done'),
      ],
      [
        ['start', 'next', 'optin'],
        ['optin', 'granted', 'welcome'],
        ['optin', 'declined', 'done'],
        ['optin', 'timeout', 'done'],
        ['welcome', 'sent', 'later'],
        ['welcome', 'failed', 'done'],
        ['later', 'next', 'promo'],
        ['promo', 'sent', 'done'],
      ],
    );
    const { machine, paths } = simplePathEvents(flow);
    for (const events of paths) expect(checkPath(machine, events)).toEqual([]);
    expect(reachedNodes(flow)).toEqual(['__unconnected', 'done', 'later', 'optin', 'promo', 'welcome']);
  });

  it('finds the path that texts marketing without consent when the gate checks only informational consent', () => {
    const flow = flowOf(
      [start, { id: 'gate', type: 'consent.check', data: { purpose: 'informational' } }, send('promo', 'marketing'), end('done')],
      [
        ['start', 'next', 'gate'],
        ['gate', 'granted', 'promo'],
        ['gate', 'missing', 'done'],
        ['promo', 'sent', 'done'],
        ['promo', 'failed', 'done'],
      ],
    );
    const { machine, paths } = simplePathEvents(flow);
    const violations = paths.flatMap((events) => checkPath(machine, events));
    expect(violations[0]).toEqual({
      rule: 'consent-required',
      at: 'promo',
      path: ['checkConsent(gate)', 'consent.granted', 'sendSms(promo)'],
    });
    expect(new Set(violations.map((v) => `${v.rule}@${v.at}`))).toEqual(new Set(['consent-required@promo']));
  });

  it('finds the path that requests a payment without verified identity', () => {
    const flow = flowOf(
      [
        start,
        { id: 'gate', type: 'consent.check', data: { purpose: 'informational' } },
        {
          id: 'verify',
          type: 'verify.identity',
          data: { method: 'otp', body: 'Acme: your code is {{verify.code}}', maxAttempts: 3, timeout: 'PT1H' },
        },
        {
          id: 'pay',
          type: 'payment.request',
          data: { amount: 10, currency: 'usd', description: 'Invoice', body: 'Pay here: {{payment.link}}', expiresIn: 'P1D' },
        },
        end('done'),
      ],
      [
        ['start', 'next', 'gate'],
        ['gate', 'granted', 'verify'],
        ['gate', 'missing', 'done'],
        ['verify', 'verified', 'pay'],
        ['verify', 'failed', 'pay'],
        ['pay', 'paid', 'done'],
        ['pay', 'failed', 'done'],
        ['pay', 'expired', 'done'],
      ],
    );
    const { machine, paths } = simplePathEvents(flow);
    const violations = paths.flatMap((events) => checkPath(machine, events));
    expect(new Set(violations.map((v) => `${v.rule}@${v.at}`))).toEqual(new Set(['verify-before-pay@pay']));
    expect(new Set(violations.map((v) => v.path.join(' → ')))).toEqual(
      new Set([
        'checkConsent(gate) → consent.granted → startVerification(verify) → identity.failed → requestPayment(pay)',
        `checkConsent(gate) → consent.granted → startVerification(verify) → xstate.after.3600000.hand-made.verify → requestPayment(pay)`,
      ]),
    );
  });
});
