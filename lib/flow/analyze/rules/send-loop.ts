import { assertNever, isSendingNode } from '@/lib/flow/catalog';
import { parseDuration } from '@/lib/flow/duration';
import type { Problem } from '@/lib/flow/problem';
import type { FlowNode } from '@/lib/flow/schema';
import type { FlowGraph } from '@/lib/flow/analyze/graph';
import { stronglyConnectedComponents } from '@/lib/flow/analyze/graph';
import { nodeName } from './edge-rule';

/**
 * Whether a contact can leave `node` through `output` without waiting for a
 * timer or for the contact. Waits, questions, opt-in requests, identity
 * checks and payment requests wait (unless their timer is zero). A time
 * window does not count as a wait: inside the window it continues at once,
 * so a loop through it alone sends a burst all day long.
 */
export function isInstantExit(node: FlowNode, output: string): boolean {
  switch (node.type) {
    case 'trigger':
    case 'consent.check':
    case 'message.send':
    case 'split':
    case 'variable.set':
    case 'wait.window':
    case 'end':
      return true;
    case 'wait.delay':
      return zero(node.data.duration);
    case 'message.ask':
      return output === 'timeout' && zero(node.data.timeout);
    case 'consent.request':
      return node.data.mode === 'explicit'
        ? output === 'timeout' && zero(node.data.timeout)
        : output === 'granted' && zero(node.data.noticePeriod);
    case 'verify.identity':
      return output === 'failed' && zero(node.data.timeout);
    case 'payment.request':
      return output === 'expired' && zero(node.data.expiresIn);
    default:
      return assertNever(node);
  }
}

// A module function, not a closure made on every call: this runs once per edge.
function zero(duration: string): boolean {
  return parseDuration(duration) === 0;
}

/**
 * `send-loop`: a cycle that sends a text and never waits for a timer or the
 * contact would text without end; `busy-loop`: one that sends nothing but
 * never waits either (time windows and zero-length waits only) would step
 * the run without end while its windows are open. Each such loop (a strongly connected part
 * of the graph of instant exits that holds a sending node) is reported on
 * the edges that close it: the back edges of a depth-first search from the
 * loop's first node in flow order. Returns the problems (edge errors).
 */
export function findSendLoops(graph: FlowGraph, order: readonly number[]): Problem[] {
  const instant = new Uint8Array(graph.edges.length);
  graph.edges.forEach((_, e) => {
    const s = graph.edgeSource[e]!;
    if (s !== -1 && isInstantExit(graph.nodes[s]!, graph.outputs[s]![graph.edgeOutput[e]!]!)) instant[e] = 1;
  });
  const { component, cyclic } = stronglyConnectedComponents(graph, order, (e) => instant[e] === 1);
  // The first sending node of each loop, in flow order (-1: the loop sends nothing).
  const sender = new Int32Array(cyclic.length).fill(-1);
  for (const v of order) {
    const c = component[v]!;
    if (c >= 0 && cyclic[c] && sender[c] === -1 && isSendingNode(graph.nodes[v]!)) sender[c] = v;
  }
  const problems: Problem[] = [];
  const done = new Uint8Array(cyclic.length);
  // `order` is reverse postorder, so the first node met of each loop is where contacts enter it.
  for (const entry of order) {
    const c = component[entry]!;
    if (c < 0 || done[c]) continue;
    done[c] = 1;
    for (const e of backEdges(graph, entry, (edge) => instant[edge] === 1 && component[graph.edgeTarget[edge]!] === c)) {
      problems.push(
        sender[c] === -1
          ? {
              rule: 'busy-loop',
              severity: 'error',
              edgeId: graph.edges[e]!.id,
              message: `This edge closes a loop that never waits: while its time windows are open, a contact would go round it without end. Add a "Wait" step or a question inside the loop (a time window alone does not wait while it is open).`,
            }
          : {
              rule: 'send-loop',
              severity: 'error',
              edgeId: graph.edges[e]!.id,
              message: `This edge closes a loop that sends ${nodeName(graph.nodes[sender[c]!]!)} again and again without waiting: the contact would get texts without end. Add a "Wait" step or a question inside the loop (a time window alone does not wait while it is open).`,
            },
      );
    }
  }
  return problems;
}

/** Edges from a node to one still on the depth-first stack (iterative), following only edges that pass `keep`. */
function backEdges(graph: FlowGraph, start: number, keep: (edge: number) => boolean): number[] {
  const state = new Map<number, 1 | 2>(); // 1: on the stack, 2: finished
  const found: number[] = [];
  const stack = [start];
  const next = [0];
  state.set(start, 1);
  while (stack.length > 0) {
    const top = stack.length - 1;
    const v = stack[top]!;
    const outs = graph.outEdges[v]!;
    let descended = false;
    while (next[top]! < outs.length) {
      const e = outs[next[top]!++]!;
      if (e === -1 || !keep(e)) continue;
      const w = graph.edgeTarget[e]!;
      const s = state.get(w);
      if (s === 1) found.push(e);
      else if (s === undefined) {
        state.set(w, 1);
        stack.push(w);
        next.push(0);
        descended = true;
        break;
      }
    }
    if (!descended) {
      state.set(v, 2);
      stack.pop();
      next.pop();
    }
  }
  return found;
}
