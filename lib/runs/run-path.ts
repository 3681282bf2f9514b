import { UNCONNECTED_STATE } from '@/lib/flow/machine-events';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';

/** One recorded move of a run (table `run_steps`). */
export interface PathMove {
  from: string | null;
  to: string;
  /** The event type of the step the move belongs to. */
  event: string;
}

export interface RunPath {
  /** Node id → `visited`, or `current` for the node an active run is at. */
  nodeTones: Record<string, 'visited' | 'current'>;
  /** Edge id → `visited`. */
  edgeTones: Record<string, 'visited'>;
}

/**
 * The outputs a node can be left through on an event (as lib/flow/compile.ts
 * wires them). Used only to tell apart two edges between the same pair of
 * nodes (a `sent` and a `failed` edge to one node); an empty answer means
 * "cannot tell" and every such edge is marked.
 */
function outputsFor(node: FlowNode, event: string): readonly string[] {
  if (node.type === 'trigger' || node.type === 'variable.set') return ['next'];
  if (node.type === 'split') return []; // eventless: the case taken is not recorded
  const explicit = node.type === 'consent.request' && node.data.mode === 'explicit';
  if (event.startsWith('xstate.after.')) {
    switch (node.type) {
      case 'consent.request':
        return explicit ? ['timeout'] : ['granted'];
      case 'message.ask':
        return ['timeout'];
      case 'wait.delay':
        return ['next'];
      case 'verify.identity':
        return ['failed'];
      case 'payment.request':
        return ['expired'];
      default:
        return [];
    }
  }
  switch (event) {
    case 'sms.sent':
      return ['sent'];
    case 'sms.failed':
      if (node.type === 'message.send') return ['failed'];
      if (node.type === 'message.ask' || explicit) return ['timeout'];
      return node.type === 'consent.request' ? ['declined'] : [];
    case 'reply':
      return node.type === 'message.ask' ? ['reply'] : [];
    case 'consent.granted':
      return ['granted'];
    case 'consent.missing':
      return ['missing'];
    case 'identity.verified':
      return ['verified'];
    case 'identity.failed':
      return ['failed'];
    case 'payment.paid':
      return ['paid'];
    case 'payment.failed':
      return ['failed'];
    case 'window.open':
      return ['next'];
    default:
      return [];
  }
}

/**
 * The path a run took, as tones for `FlowView`: every node it entered and
 * every edge it followed are `visited`; the node an active run waits in is
 * `current`. Pure: the moves come from `run_steps`.
 */
export function runPath(flow: Pick<FlowDocument, 'nodes' | 'edges'>, moves: readonly PathMove[], current: string | null): RunPath {
  const nodes = new Map(flow.nodes.map((n) => [n.id, n]));
  const nodeTones: RunPath['nodeTones'] = {};
  const edgeTones: RunPath['edgeTones'] = {};
  for (const move of moves) {
    if (nodes.has(move.to)) nodeTones[move.to] = 'visited';
    if (move.from === null || move.to === UNCONNECTED_STATE) continue;
    const candidates = flow.edges.filter((e) => e.source === move.from && e.target === move.to);
    const from = nodes.get(move.from);
    const outputs = from ? outputsFor(from, move.event) : [];
    const matching = candidates.filter((e) => outputs.includes(e.sourceHandle));
    // A step that stayed in its node followed an edge to itself only if the event leaves through that edge's output.
    const taken = move.from === move.to ? matching : candidates.length > 1 && matching.length > 0 ? matching : candidates;
    for (const edge of taken) edgeTones[edge.id] = 'visited';
  }
  if (current !== null && nodes.has(current)) nodeTones[current] = 'current';
  return { nodeTones, edgeTones };
}
