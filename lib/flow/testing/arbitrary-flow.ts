import fc from 'fast-check';
import { outputsOf } from '@/lib/flow/catalog';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument, FlowEdge, FlowNode } from '@/lib/flow/schema';
import { BRAND, OPTIN_BODY, TEXT } from '@/lib/flow/analyze/test-flows';

/**
 * fast-check arbitrary for random small flows, shared by the analyzer's
 * property tests and the soundness test: every node type, random wiring with
 * loops and unconnected outputs, both policies. Bodies pass the content rules
 * so that the flow rules decide. Test-only.
 */

type NodeSansId = Omit<FlowNode, 'id'>;
const purpose = fc.constantFrom('informational' as const, 'marketing' as const);
const duration = fc.constantFrom('PT0S', 'PT5M', 'PT30M', 'PT2H', 'PT9H', 'P1D', 'P2D');
const time = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 45))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const outsideHours = fc.constantFrom(undefined, 'send' as const, 'defer' as const);
const withHours = <T extends object>(data: T, o: 'send' | 'defer' | undefined) => (o ? { ...data, outsideHours: o } : data);

const trigger: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc.constantFrom<NodeSansId>(
    { type: 'trigger', data: { kind: 'api' } },
    { type: 'trigger', data: { kind: 'keyword', keywords: ['JOIN'] } },
  ),
  time.map((at): NodeSansId => ({ type: 'trigger', data: { kind: 'schedule', at } })),
);

const step: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc
    .tuple(purpose, duration)
    .map(([p, d]): NodeSansId => ({ type: 'consent.request', data: { purpose: p, mode: 'explicit', body: OPTIN_BODY, timeout: d } })),
  duration.map((d): NodeSansId => ({
    type: 'consent.request',
    data: { purpose: 'informational', mode: 'notice', body: OPTIN_BODY, noticePeriod: d },
  })),
  purpose.map((p): NodeSansId => ({ type: 'consent.check', data: { purpose: p } })),
  fc.tuple(purpose, outsideHours).map(([p, o]): NodeSansId => ({ type: 'message.send', data: withHours({ purpose: p, body: TEXT }, o) })),
  fc
    .tuple(purpose, duration, outsideHours)
    .map(([p, d, o]): NodeSansId => ({ type: 'message.ask', data: withHours({ purpose: p, body: TEXT, timeout: d }, o) })),
  fc.constant<NodeSansId>({ type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes'] }] } }),
  duration.map((d): NodeSansId => ({ type: 'wait.delay', data: { duration: d } })),
  fc
    .tuple(time, time)
    .filter(([a, b]) => a !== b)
    .map(([from, to]): NodeSansId => ({ type: 'wait.window', data: { from, to } })),
  duration
    .filter((d) => d !== 'PT0S')
    .map((d): NodeSansId => ({
      type: 'verify.identity',
      data: { method: 'zip', body: `${BRAND}: your ZIP?`, maxAttempts: 2, timeout: d },
    })),
  duration
    .filter((d) => d !== 'PT0S')
    .map((d): NodeSansId => ({
      type: 'payment.request',
      data: { amount: 10, currency: 'usd', description: 'Bill', body: `${BRAND}: {{payment.link}}`, expiresIn: d },
    })),
  fc.constant<NodeSansId>({ type: 'variable.set', data: { assign: { seen: 'yes' } } }),
  fc.constant<NodeSansId>({ type: 'end' }),
);

/** A random valid flow: a trigger and up to `max - 1` steps; each output goes to a random step or nowhere. */
export function arbitraryFlow(max = 9): fc.Arbitrary<FlowDocument> {
  return fc
    .record({
      trigger,
      steps: fc.array(step, { minLength: 1, maxLength: max - 1 }),
      quietHours: fc.constantFrom('federal' as const, 'strictest' as const),
      wiring: fc.array(fc.integer({ min: -2, max: 100 }), { minLength: 40, maxLength: 40 }),
    })
    .map(({ trigger, steps, quietHours, wiring }) => {
      const nodes = [trigger, ...steps].map((node, i) => ({ ...node, id: i === 0 ? 'start' : `n${i}` }) as FlowNode);
      const edges: FlowEdge[] = [];
      let w = 0;
      for (const node of nodes) {
        for (const output of outputsOf(node)) {
          const pick = wiring[w++ % wiring.length]!;
          if (pick < 0 && node.type !== 'trigger') continue;
          edges.push({
            id: `e${edges.length}`,
            source: node.id,
            sourceHandle: output,
            target: nodes[1 + (Math.abs(pick) % (nodes.length - 1))]!.id,
          });
        }
      }
      const doc = { schemaVersion: 1 as const, id: 'random', name: 'Random', policy: { brand: BRAND, quietHours }, nodes, edges };
      const parsed = parseFlow(doc);
      // The only documents the wiring can make invalid are loops that never wait: the document check refuses those.
      if (!parsed.ok && parsed.problems.every((p) => p.message.includes('never waits'))) return null;
      if (!parsed.ok) throw new Error(`generator made an invalid flow: ${parsed.problems[0]?.path}: ${parsed.problems[0]?.message}`);
      return parsed.flow;
    })
    .filter((flow): flow is FlowDocument => flow !== null);
}
