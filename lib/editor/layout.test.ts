import { describe, expect, it } from 'vitest';
import { generateFlow, generateSharedEndFlow } from '@/bench/generate-flow';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';
import { TEMPLATES } from '@/workflows/index';
import type { XY } from './changes';
import { safeOutputs } from './connection';
import { gridPositions, lacksPositions, layoutFlow, layoutPositions, withPositions, type MeasuredSizes } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './sizes';

const payByText = TEMPLATES.find((t) => (t as { id: string }).id === 'pay-by-text') as FlowDocument;

type Box = XY & { id: string; width: number; height: number };

function boxesOf(doc: FlowDocument, positions: Record<string, XY>, measured: MeasuredSizes = {}): Box[] {
  return doc.nodes.map((n) => ({
    id: n.id,
    ...positions[n.id]!,
    width: measured[n.id]?.width ?? NODE_WIDTH,
    height: measured[n.id]?.height ?? NODE_HEIGHT,
  }));
}

/** Pairs of boxes that overlap (a sweep over x, so 10,000 boxes check quickly). */
function overlapping(boxes: Box[]): [string, string][] {
  const byX = [...boxes].sort((a, b) => a.x - b.x);
  const found: [string, string][] = [];
  for (let i = 0; i < byX.length; i++) {
    const a = byX[i]!;
    for (let j = i + 1; j < byX.length && byX[j]!.x < a.x + a.width; j++) {
      const b = byX[j]!;
      if (a.y < b.y + b.height && b.y < a.y + a.height) found.push([a.id, b.id]);
    }
  }
  return found;
}

/** Edges whose target does not start below its source's bottom. */
function notDownward(doc: FlowDocument, boxes: Box[], except: readonly string[] = []): string[] {
  const at = new Map(boxes.map((b) => [b.id, b]));
  return doc.edges
    .filter((e) => !except.includes(e.id))
    .filter((e) => at.get(e.target)!.y < at.get(e.source)!.y + at.get(e.source)!.height)
    .map((e) => e.id);
}

/** Whether the edge's target leads back to its source: the edge closes a loop. */
function closesLoop(doc: FlowDocument, edgeId: string): boolean {
  const edge = doc.edges.find((e) => e.id === edgeId)!;
  const seen = new Set<string>();
  const todo = [edge.target];
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (id === edge.source) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.source === id) todo.push(e.target);
  }
  return false;
}

/** A straight chain of `size` steps: Start, sends, End. */
function longChain(size: number): FlowDocument {
  const nodes: FlowNode[] = [{ id: 'start', type: 'trigger', data: { kind: 'api' } }];
  for (let i = 1; i < size - 1; i++) nodes.push({ id: `wait-${i}`, type: 'wait.delay', data: { duration: 'PT1H' } });
  nodes.push({ id: 'done', type: 'end' });
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, sourceHandle: 'next', target: n.id }));
  return { schemaVersion: 1, id: 'chain', name: 'Chain', policy: { brand: 'Acme', quietHours: 'strictest' }, nodes, edges };
}

describe('layout', () => {
  it('places every step once, none overlapping, every edge pointing down (templates and a generated flow)', () => {
    for (const doc of [...(TEMPLATES as FlowDocument[]), generateFlow(200)]) {
      const { positions, loopEdges } = layoutFlow(doc);
      expect(Object.keys(positions).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
      const boxes = boxesOf(doc, positions);
      expect(overlapping(boxes)).toEqual([]);
      // Only an edge that closes a loop (a re-ask) may point back up.
      for (const id of loopEdges) expect(closesLoop(doc, id)).toBe(true);
      expect(notDownward(doc, boxes, loopEdges)).toEqual([]);
    }
  });

  it('keeps steps apart at the sizes the canvas measured', () => {
    const measured = Object.fromEntries(payByText.nodes.map((n, i) => [n.id, { width: 200 + (i % 4) * 60, height: 120 + (i % 3) * 40 }]));
    const boxes = boxesOf(payByText, layoutPositions(payByText, measured), measured);
    expect(overlapping(boxes)).toEqual([]);
    expect(notDownward(payByText, boxes)).toEqual([]);
  });

  it("orders the steps only one step leads to, in one rank, left to right as that step's outputs are", () => {
    for (const doc of [generateFlow(20), payByText]) {
      const positions = layoutPositions(doc);
      for (const node of doc.nodes) {
        // Targets reached from this step alone: where else they are reached from may pull them elsewhere.
        const only = (id: string) => doc.edges.every((e) => e.target !== id || e.source === node.id);
        const targets = safeOutputs(node).flatMap((h) =>
          doc.edges.filter((e) => e.source === node.id && e.sourceHandle === h && only(e.target)),
        );
        for (const y of new Set(targets.map((e) => positions[e.target]!.y))) {
          const inRank = targets.filter((e) => positions[e.target]!.y === y);
          const xs = [...new Set(inRank.map((e) => e.target))].map((t) => positions[t]!.x);
          expect([...xs].sort((a, b) => a - b)).toEqual(xs);
        }
      }
    }
    // split-0's yes and no lead to the answer and the note, side by side in that order.
    const doc = generateFlow(20);
    const positions = layoutPositions(doc);
    expect(positions['answer-0']!.y).toBe(positions['note-0']!.y);
    expect(positions['answer-0']!.x).toBeLessThan(positions['note-0']!.x);
  });

  it('runs a long chain of branches straight down instead of drifting sideways', () => {
    const doc = generateFlow(2_000);
    const xs = Object.values(layoutPositions(doc)).map((p) => p.x);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(4 * (NODE_WIDTH + 40));
  });

  it('places a shared End and a shared "thank you" once, below every step that leads to them, with loops drawn back up', () => {
    const doc = generateSharedEndFlow(2_000);
    const { positions, loopEdges } = layoutFlow(doc);
    const boxes = boxesOf(doc, positions);
    expect(overlapping(boxes)).toEqual([]);
    // Only the retry loops point back up, and each of them does.
    const retries = doc.edges.filter((e) => e.source.startsWith('retry-')).map((e) => e.id);
    expect([...loopEdges].sort()).toEqual([...retries].sort());
    expect(notDownward(doc, boxes, loopEdges)).toEqual([]);
    for (const id of loopEdges) {
      const e = doc.edges.find((x) => x.id === id)!;
      expect(positions[e.target]!.y).toBeLessThan(positions[e.source]!.y);
    }
    // One box each, one rank below the lowest step that leads into it: no copy or dummy per rank it is reached from.
    const intoDone = doc.edges.filter((e) => e.target === 'done');
    expect(intoDone.length).toBeGreaterThan(1_000);
    const rankBelow = (ids: string[]) => Math.max(...ids.map((id) => positions[id]!.y)) + NODE_HEIGHT + 70;
    expect(positions.done!.y).toBe(rankBelow(intoDone.map((e) => e.source)));
    expect(positions.thanks!.y).toBe(rankBelow(doc.edges.filter((e) => e.target === 'thanks').map((e) => e.source)));
    expect(Math.max(...boxes.map((b) => b.y))).toBe(positions.done!.y);
  });

  it('lays out a 10,000-step chain straight down without running out of stack', () => {
    const doc = longChain(10_000);
    const positions = layoutPositions(doc);
    const boxes = boxesOf(doc, positions);
    expect(notDownward(doc, boxes)).toEqual([]);
    expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
  });

  it('lays out loops with no way in, and a step looping to itself', () => {
    const doc: FlowDocument = {
      ...longChain(5),
      nodes: [...longChain(5).nodes.slice(1, 4)],
      edges: [
        { id: 'a', source: 'wait-1', sourceHandle: 'next', target: 'wait-2' },
        { id: 'b', source: 'wait-2', sourceHandle: 'next', target: 'wait-3' },
        { id: 'c', source: 'wait-3', sourceHandle: 'next', target: 'wait-1' },
      ],
    };
    const { positions, loopEdges } = layoutFlow(doc);
    expect(loopEdges).toEqual(['c']);
    expect(overlapping(boxesOf(doc, positions))).toEqual([]);
    expect(notDownward(doc, boxesOf(doc, positions), loopEdges)).toEqual([]);

    const self: FlowDocument = { ...doc, edges: [{ id: 's', source: 'wait-1', sourceHandle: 'next', target: 'wait-1' }] };
    expect(layoutFlow(self).loopEdges).toEqual(['s']);
    expect(overlapping(boxesOf(self, layoutFlow(self).positions))).toEqual([]);
  });

  it('gives the same answer every time, and ignores edges to steps that are not there', () => {
    const doc = generateSharedEndFlow(300);
    const first = layoutFlow(doc);
    expect(layoutFlow(structuredClone(doc))).toEqual(first);
    const dangling = { ...doc, edges: [...doc.edges, { id: 'ghost', source: 'start', sourceHandle: 'next', target: 'nowhere' }] };
    expect(layoutFlow(dangling).positions).toEqual(first.positions);
  });

  it('reports its progress from 0 to 1, never going back', () => {
    const seen: number[] = [];
    layoutFlow(generateSharedEndFlow(500), {}, (done) => seen.push(done));
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
    expect(seen.length).toBeGreaterThan(3);
  });

  it('fills in only the positions a document lacks', () => {
    const bare = { ...payByText, nodes: payByText.nodes.map(({ position: _p, ...n }, i) => (i === 0 ? payByText.nodes[0]! : n)) };
    expect(lacksPositions(bare)).toBe(true);
    const laid = withPositions(bare);
    expect(lacksPositions(laid)).toBe(false);
    expect(laid.nodes[0]!.position).toEqual(payByText.nodes[0]!.position);
    expect(withPositions(payByText)).toBe(payByText);
  });

  it('has a plain grid, without overlaps, for when the layout cannot run', () => {
    const doc = generateSharedEndFlow(300);
    const grid = gridPositions(doc);
    expect(Object.keys(grid)).toHaveLength(doc.nodes.length);
    expect(overlapping(boxesOf(doc, grid))).toEqual([]);
  });
});
