import fc from 'fast-check';
import type { FlowDocument, FlowEdge, FlowNode } from '../schema';
import { outputsOf } from '../catalog';

/**
 * fast-check arbitraries for random small flows: every node type, random
 * wiring (outputs may stay unconnected, loops allowed), message texts that
 * pass the content rules so the interesting rules (consent, hours, identity)
 * decide. Test-only.
 */

const BRAND = 'Acme Dental';
const COMPLIANT_BODY = `${BRAND}: news for you. Msg frequency varies. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`;

const purpose = fc.constantFrom('informational' as const, 'marketing' as const);
const duration = fc.constantFrom('PT5M', 'PT30M', 'PT2H', 'PT9H', 'PT12H', 'P1D', 'P2D');
const timeOfDay = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const outsideHours = fc.constantFrom('defer' as const, 'send' as const, undefined);

type NodeSansId = Omit<FlowNode, 'id'>;

const trigger: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc.constant({ type: 'trigger', data: { kind: 'api' } } as NodeSansId),
  fc.constant({ type: 'trigger', data: { kind: 'keyword', keywords: ['JOIN'] } } as NodeSansId),
  timeOfDay.map((at) => ({ type: 'trigger', data: { kind: 'schedule', at } }) as NodeSansId),
);

const step: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc.tuple(purpose, fc.boolean(), duration).map(([p, notice, d]) =>
    (notice && p === 'informational'
      ? { type: 'consent.request', data: { purpose: p, mode: 'notice', body: COMPLIANT_BODY, noticePeriod: d } }
      : { type: 'consent.request', data: { purpose: p, mode: 'explicit', body: COMPLIANT_BODY, timeout: d } }) as NodeSansId,
  ),
  purpose.map((p) => ({ type: 'consent.check', data: { purpose: p } }) as NodeSansId),
  fc.tuple(purpose, outsideHours).map(([p, o]) => ({ type: 'message.send', data: { purpose: p, body: COMPLIANT_BODY, ...(o ? { outsideHours: o } : {}) } }) as NodeSansId),
  fc.tuple(purpose, duration, outsideHours).map(([p, d, o]) => ({ type: 'message.ask', data: { purpose: p, body: COMPLIANT_BODY, timeout: d, ...(o ? { outsideHours: o } : {}) } }) as NodeSansId),
  fc.constant({ type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes', 'y'] }, { handle: 'no', equals: ['no'] }] } } as NodeSansId),
  duration.map((d) => ({ type: 'wait.delay', data: { duration: d } }) as NodeSansId),
  fc.tuple(timeOfDay, timeOfDay).filter(([a, b]) => a !== b).map(([from, to]) => ({ type: 'wait.window', data: { from, to } }) as NodeSansId),
  duration.map((d) => ({ type: 'verify.identity', data: { method: 'zip', body: `${BRAND}: reply with your ZIP code.`, maxAttempts: 2, timeout: d } }) as NodeSansId),
  duration.map((d) => ({ type: 'payment.request', data: { amount: 25, currency: 'usd', description: 'Invoice', body: `${BRAND}: pay here {{payment.link}}`, expiresIn: d } }) as NodeSansId),
  fc.constant({ type: 'variable.set', data: { assign: { seen: 'yes' } } } as NodeSansId),
  fc.constant({ type: 'end' } as NodeSansId),
);

/** A random valid flow of 2 to `maxNodes` nodes under a random quiet-hours policy. */
export function arbitraryFlow(maxNodes = 8): fc.Arbitrary<FlowDocument> {
  return fc
    .record({
      trigger,
      steps: fc.array(step, { minLength: 1, maxLength: maxNodes - 1 }),
      policy: fc.constantFrom('federal' as const, 'strictest' as const),
      wiring: fc.array(fc.integer({ min: -1, max: 1_000 }), { minLength: 64, maxLength: 64 }),
    })
    .map(({ trigger, steps, policy, wiring }) => {
      const nodes = [trigger, ...steps].map((n, i) => ({ ...n, id: i === 0 ? 'start' : `n${i}` }) as FlowNode);
      const edges: FlowEdge[] = [];
      let w = 0;
      for (const node of nodes) {
        for (const output of outputsOf(node)) {
          const pick = wiring[w++ % wiring.length]!;
          // The trigger always leads somewhere; other outputs stay unconnected now and then.
          if (pick < 0 && node.type !== 'trigger') continue;
          const target = nodes[1 + (Math.abs(pick) % (nodes.length - 1))]!;
          edges.push({ id: `e${edges.length}`, source: node.id, sourceHandle: output, target: target.id });
        }
      }
      return { schemaVersion: 1, id: 'random', name: 'Random flow', policy: { brand: BRAND, quietHours: policy }, nodes, edges } satisfies FlowDocument;
    });
}
