import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlow } from '@/lib/flow/parse';
import type { Problem } from '@/lib/flow/problem';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';
import { analyzeFlow } from './index';
import { arbitraryFlow } from '@/lib/flow/testing/arbitrary-flow';
import { DAY_MINUTES, MAX_INTERVALS } from './time-set';

/** Properties of the analyzer on random small flows (see `arbitraryFlow`). */

const key = (p: Problem) => `${p.rule}@${p.edgeId ?? p.nodeId ?? p.path}`;
const errorKeys = (flow: FlowDocument) =>
  new Set(
    analyzeFlow(flow)
      .problems.filter((p) => p.severity === 'error')
      .map(key),
  );

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
    node.id === id
      ? {
          id,
          type: 'split',
          data: {
            on: 'variable',
            variable: 'x',
            cases: [
              { handle: 'granted', equals: ['a'] },
              { handle: 'missing', equals: ['b'] },
            ],
          },
        }
      : node,
  );
  nodes.push({ ...gate, id: recheck });
  const edges = flow.edges.map((e) => (e.source === id && e.sourceHandle === 'missing' ? { ...e, source: recheck } : e));
  edges.push({ id: `${recheck}-in`, source: id, sourceHandle: 'missing', target: recheck });
  return { ...flow, nodes, edges };
}

describe('the analyzer on random flows', () => {
  it('always terminates, never throws, and returns consistent facts', () => {
    fc.assert(
      fc.property(arbitraryFlow(), (flow) => {
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
      fc.property(arbitraryFlow(), fc.nat(), (flow, pick) => {
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
      fc.property(arbitraryFlow(), (flow) => {
        const narrowed = {
          ...flow,
          nodes: flow.nodes.map((node): FlowNode =>
            node.type === 'consent.check' ? { ...node, data: { purpose: 'informational' } } : node,
          ),
        };
        const before = errorKeys(flow);
        const after = errorKeys(narrowed);
        for (const k of before) expect(after.has(k)).toBe(true);
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('finds error-free flows among the random ones, so the properties are not vacuous', () => {
    const flows = fc.sample(arbitraryFlow(), { numRuns: 400, seed: 3 });
    const clean = flows.filter((f) => errorKeys(f).size === 0).length;
    expect(clean).toBeGreaterThan(20);
    expect(clean).toBeLessThan(400);
  });
});
