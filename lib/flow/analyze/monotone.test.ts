import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outputsOf } from '../catalog';
import { parseFlow } from '../parse';
import type { Problem } from '../problem';
import type { FlowDocument, FlowEdge, FlowNode } from '../schema';
import { analyzeFlow } from './index';
import { BRAND, OPTIN_BODY, TEXT } from './test-flows';
import { DAY_MINUTES, MAX_INTERVALS } from './time-set';

/**
 * Properties of the analyzer on random small flows: every node type, random
 * wiring with loops and unconnected outputs, both policies. Bodies pass the
 * content rules so that the flow rules decide.
 */

type NodeSansId = Omit<FlowNode, 'id'>;
const purpose = fc.constantFrom('informational' as const, 'marketing' as const);
const duration = fc.constantFrom('PT0S', 'PT5M', 'PT30M', 'PT2H', 'PT9H', 'P1D', 'P2D');
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const outsideHours = fc.constantFrom(undefined, 'send' as const, 'defer' as const);
const withHours = <T extends object>(data: T, o: 'send' | 'defer' | undefined) => (o ? { ...data, outsideHours: o } : data);

const trigger: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc.constantFrom<NodeSansId>({ type: 'trigger', data: { kind: 'api' } }, { type: 'trigger', data: { kind: 'keyword', keywords: ['JOIN'] } }),
  time.map((at): NodeSansId => ({ type: 'trigger', data: { kind: 'schedule', at } })),
);

const step: fc.Arbitrary<NodeSansId> = fc.oneof(
  fc.tuple(purpose, duration).map(([p, d]): NodeSansId => ({ type: 'consent.request', data: { purpose: p, mode: 'explicit', body: OPTIN_BODY, timeout: d } })),
  duration.map((d): NodeSansId => ({ type: 'consent.request', data: { purpose: 'informational', mode: 'notice', body: OPTIN_BODY, noticePeriod: d } })),
  purpose.map((p): NodeSansId => ({ type: 'consent.check', data: { purpose: p } })),
  fc.tuple(purpose, outsideHours).map(([p, o]): NodeSansId => ({ type: 'message.send', data: withHours({ purpose: p, body: TEXT }, o) })),
  fc.tuple(purpose, duration, outsideHours).map(([p, d, o]): NodeSansId => ({ type: 'message.ask', data: withHours({ purpose: p, body: TEXT, timeout: d }, o) })),
  fc.constant<NodeSansId>({ type: 'split', data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes'] }] } }),
  duration.map((d): NodeSansId => ({ type: 'wait.delay', data: { duration: d } })),
  fc.tuple(time, time).filter(([a, b]) => a !== b).map(([from, to]): NodeSansId => ({ type: 'wait.window', data: { from, to } })),
  duration.filter((d) => d !== 'PT0S').map((d): NodeSansId => ({ type: 'verify.identity', data: { method: 'zip', body: `${BRAND}: your ZIP?`, maxAttempts: 2, timeout: d } })),
  duration.filter((d) => d !== 'PT0S').map((d): NodeSansId => ({ type: 'payment.request', data: { amount: 10, currency: 'usd', description: 'Bill', body: `${BRAND}: {{payment.link}}`, expiresIn: d } })),
  fc.constant<NodeSansId>({ type: 'variable.set', data: { assign: { seen: 'yes' } } }),
  fc.constant<NodeSansId>({ type: 'end' }),
);

/** A random valid flow: a trigger and up to `max - 1` steps; each output goes to a random step or nowhere. */
function randomFlow(max = 9): fc.Arbitrary<FlowDocument> {
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
          edges.push({ id: `e${edges.length}`, source: node.id, sourceHandle: output, target: nodes[1 + (Math.abs(pick) % (nodes.length - 1))]!.id });
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

const key = (p: Problem) => `${p.rule}@${p.edgeId ?? p.nodeId ?? p.path}`;
const errorKeys = (flow: FlowDocument) => new Set(analyzeFlow(flow).problems.filter((p) => p.severity === 'error').map(key));

/**
 * The flow with the consent check `id` removed as a gate: a branch takes its
 * place and passes contacts on through "granted" with nothing granted, while
 * its "missing" output goes through a check of the same purpose first, so
 * that branch knows exactly what it knew before. Only the grant is gone.
 */
function withoutGate(flow: FlowDocument, id: string): FlowDocument {
  const gate = flow.nodes.find((node) => node.id === id)!;
  const recheck = `${id}-recheck`;
  const nodes = flow.nodes.map((node): FlowNode =>
    node.id === id ? { id, type: 'split', data: { on: 'variable', variable: 'x', cases: [{ handle: 'granted', equals: ['a'] }, { handle: 'missing', equals: ['b'] }] } } : node,
  );
  nodes.push({ ...gate, id: recheck });
  const edges = flow.edges.map((e) => (e.source === id && e.sourceHandle === 'missing' ? { ...e, source: recheck } : e));
  edges.push({ id: `${recheck}-in`, source: id, sourceHandle: 'missing', target: recheck });
  return { ...flow, nodes, edges };
}

describe('the analyzer on random flows', () => {
  it('always terminates, never throws, and returns consistent facts', () => {
    fc.assert(
      fc.property(randomFlow(), (flow) => {
        const analysis = analyzeFlow(flow);
        const ids = new Set(flow.edges.map((e) => e.id));
        for (const [id, facts] of Object.entries(analysis.edges)) {
          expect(ids.has(id)).toBe(true);
          expect(facts.times.length).toBeLessThanOrEqual(MAX_INTERVALS);
          let at = -1;
          for (const t of facts.times) {
            expect(t.from).toBeGreaterThan(at);
            expect(t.from).toBeLessThan(t.to);
            expect(t.to).toBeLessThanOrEqual(DAY_MINUTES);
            at = t.to;
          }
          expect(facts.recentMarketing.length).toBeLessThanOrEqual(3);
          if (facts.consent.marketing) expect(facts.consent.informational).toBe(true);
        }
        const blocking = analysis.problems.filter((p) => p.severity === 'error' && p.edgeId !== undefined).map((p) => p.edgeId!);
        expect(new Set(analysis.blockedEdges)).toEqual(new Set(blocking));
      }),
      { numRuns: 800, seed: 42 },
    );
  });

  it('never loses an error, nor becomes error-free, when a consent gate is removed', () => {
    let checked = 0;
    fc.assert(
      fc.property(randomFlow(), fc.nat(), (flow, pick) => {
        const checks = flow.nodes.filter((node) => node.type === 'consent.check');
        if (checks.length === 0) return;
        checked++;
        const before = errorKeys(flow);
        const mutated = withoutGate(flow, checks[pick % checks.length]!.id);
        expect(parseFlow(mutated).ok).toBe(true);
        const after = errorKeys(mutated);
        for (const k of before) expect(after.has(k)).toBe(true);
        if (before.size > 0) expect(after.size).toBeGreaterThan(0);
      }),
      { numRuns: 800, seed: 7 },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it('never loses an error when a marketing consent check is narrowed to informational', () => {
    fc.assert(
      fc.property(randomFlow(), (flow) => {
        const narrowed = { ...flow, nodes: flow.nodes.map((node): FlowNode => (node.type === 'consent.check' ? { ...node, data: { purpose: 'informational' } } : node)) };
        const before = errorKeys(flow);
        const after = errorKeys(narrowed);
        for (const k of before) expect(after.has(k)).toBe(true);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('finds error-free flows among the random ones, so the properties are not vacuous', () => {
    const flows = fc.sample(randomFlow(), { numRuns: 400, seed: 3 });
    const clean = flows.filter((f) => errorKeys(f).size === 0).length;
    expect(clean).toBeGreaterThan(20);
    expect(clean).toBeLessThan(400);
  });
});
