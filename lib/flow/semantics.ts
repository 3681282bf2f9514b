import { NODE_CATALOG, outputsOf, templatesOf } from './catalog';
import type { Problem } from './problem';
import type { FlowDocument, FlowNode } from './schema';
import { TEMPLATE_ROOTS, templateChecker, templateUses, type TemplateCheck } from './templates';
import { parseTimeOfDay } from './time-of-day';

/**
 * Checks a schema-valid document for what a schema cannot say: unique ids,
 * edges between existing nodes on real outputs, one trigger, templates that
 * parse. Returns `schema` problems with JSON paths; empty when sound.
 */
export function checkSemantics(flow: FlowDocument): Problem[] {
  const problems: Problem[] = [];
  const err = (path: string, message: string, ids: { nodeId?: string; edgeId?: string } = {}) =>
    problems.push({ rule: 'schema', severity: 'error', path, message, ...ids });

  const nodeIndex = new Map<string, number>();
  flow.nodes.forEach((node, i) => {
    const first = nodeIndex.get(node.id);
    if (first !== undefined)
      err(`nodes[${i}].id`, `"${node.id}" is already the id of nodes[${first}]; node ids must be unique`, { nodeId: node.id });
    else nodeIndex.set(node.id, i);
  });

  const triggers = flow.nodes.flatMap((n, i) => (n.type === 'trigger' ? [i] : []));
  if (triggers.length === 0) err('nodes', 'the flow has no Start (trigger) node; add exactly one');
  if (triggers.length > 1)
    err(
      'nodes',
      `the flow has ${triggers.length} Start (trigger) nodes (${triggers.map((i) => `nodes[${i}]`).join(', ')}); keep exactly one`,
    );

  const checkTemplate = templateChecker();
  flow.nodes.forEach((node, i) => checkNode(node, `nodes[${i}]`, err, checkTemplate));

  const edgeIndex = new Map<string, number>();
  // Per node: its outputs, and per output the edge that takes it (-1: none yet); made when the first edge leaves the node.
  const outputsAt: (string[] | undefined)[] = new Array(flow.nodes.length);
  const takenAt: (number[] | undefined)[] = new Array(flow.nodes.length);
  flow.edges.forEach((edge, i) => {
    const at = `edges[${i}]`;
    const ids = { edgeId: edge.id };
    const first = edgeIndex.get(edge.id);
    if (first !== undefined) err(`${at}.id`, `"${edge.id}" is already the id of edges[${first}]; edge ids must be unique`, ids);
    else edgeIndex.set(edge.id, i);

    const si = nodeIndex.get(edge.source);
    const ti = nodeIndex.get(edge.target);
    if (si === undefined) err(`${at}.source`, `there is no node "${edge.source}"`, ids);
    if (ti === undefined) err(`${at}.target`, `there is no node "${edge.target}"`, ids);
    if (ti !== undefined && flow.nodes[ti]!.type === 'trigger')
      err(`${at}.target`, `nothing may lead into the Start node "${edge.target}"`, ids);
    if (si === undefined) return;

    const source = flow.nodes[si]!;
    const outputs = (outputsAt[si] ??= outputsOf(source));
    if (outputs.length === 0) {
      err(`${at}.source`, `"${edge.source}" is an End node: it has no outputs`, ids);
      return;
    }
    const o = outputs.indexOf(edge.sourceHandle);
    if (o === -1) {
      err(
        `${at}.sourceHandle`,
        `"${edge.sourceHandle}" is not an output of ${NODE_CATALOG[source.type].title} "${source.id}"; use ${orList(outputs)}`,
        ids,
      );
      return;
    }
    const taken = (takenAt[si] ??= new Array<number>(outputs.length).fill(-1));
    const before = taken[o]!;
    if (before !== -1) {
      err(
        at,
        `output "${edge.sourceHandle}" of "${edge.source}" already leads to "${flow.edges[before]!.target}" (edges[${before}]); each output has at most one edge`,
        ids,
      );
    } else taken[o] = i;
  });

  if (problems.length === 0) problems.push(...findInstantLoops(flow, nodeIndex));
  return problems;
}

/** Nodes that move on at once: no text, no timer, no answer from the contact. */
const INSTANT_TYPES = new Set<FlowNode['type']>(['split', 'variable.set', 'consent.check']);

/**
 * A loop made only of nodes that move on at once would spin forever the
 * moment a contact enters it (the send-loop rule only covers loops that
 * text). Found as strongly connected components of the instant nodes
 * (Tarjan's algorithm, iterative so deep flows cannot overflow the stack).
 */
function findInstantLoops(flow: FlowDocument, index: ReadonlyMap<string, number>): Problem[] {
  const out: { edge: number; to: number }[][] = flow.nodes.map(() => []);
  flow.edges.forEach((e, ei) => {
    const s = index.get(e.source)!;
    const t = index.get(e.target)!;
    if (INSTANT_TYPES.has(flow.nodes[s]!.type) && INSTANT_TYPES.has(flow.nodes[t]!.type)) out[s]!.push({ edge: ei, to: t });
  });
  const order = new Int32Array(flow.nodes.length).fill(-1);
  const low = new Int32Array(flow.nodes.length);
  const onStack = new Uint8Array(flow.nodes.length);
  const stack: number[] = [];
  const problems: Problem[] = [];
  let counter = 0;
  for (let root = 0; root < flow.nodes.length; root++) {
    if (order[root] !== -1 || out[root]!.length === 0) continue;
    const work: [node: number, next: number][] = [[root, 0]];
    order[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const [v, i] = frame;
      if (i < out[v]!.length) {
        frame[1]++;
        const w = out[v]![i]!.to;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low[parent] = Math.min(low[parent]!, low[v]!);
      }
      if (low[v] !== order[v]) continue;
      const component = new Set<number>();
      for (let w = -1; w !== v;) {
        w = stack.pop()!;
        onStack[w] = 0;
        component.add(w);
      }
      const closing = component.size > 1 || out[v]!.some((e) => e.to === v) ? out[v]!.find((e) => component.has(e.to)) : undefined;
      if (!closing) continue;
      const names = [...component].map((n) => `"${flow.nodes[n]!.id}"`).join(', ');
      const edge = flow.edges[closing.edge]!;
      problems.push({
        rule: 'schema',
        severity: 'error',
        path: `edges[${closing.edge}]`,
        edgeId: edge.id,
        message: `this loop (${names}) never waits, so a contact entering it would go round forever; add a wait or a question to it`,
      });
    }
  }
  return problems;
}

type Report = (path: string, message: string, ids?: { nodeId?: string; edgeId?: string }) => void;

function checkNode(node: FlowNode, at: string, err: Report, checkTemplate: (text: string) => TemplateCheck): void {
  const ids = { nodeId: node.id };
  for (const { field, text } of templatesOf(node)) {
    const check = checkTemplate(text);
    if (!check.ok) {
      err(`${at}.data.${field}`, `the template does not parse: ${check.message}`, ids);
      continue;
    }
    for (const segs of check.variables) {
      const root = segs[0] ?? '';
      if (!(TEMPLATE_ROOTS as readonly string[]).includes(root)) {
        err(
          `${at}.data.${field}`,
          `{{${segs.join('.')}}} is not a known variable; use ${TEMPLATE_ROOTS.map((r) => `${r}.*`).join(', ')}`,
          ids,
        );
      }
    }
  }
  switch (node.type) {
    case 'consent.request':
      if (node.data.mode === 'notice' && node.data.purpose !== 'informational') {
        err(
          `${at}.data.mode`,
          '"notice" mode is only for informational consent; marketing needs an explicit YES (prior express written consent)',
          ids,
        );
      }
      break;
    case 'payment.request':
      if (!templateUses(node.data.body, 'payment.link', checkTemplate))
        err(`${at}.data.body`, 'the payment message must contain {{payment.link}}, the secure payment page', ids);
      break;
    case 'verify.identity':
      if (node.data.method === 'otp' && !templateUses(node.data.body, 'verify.code', checkTemplate)) {
        err(`${at}.data.body`, 'a one-time code message must contain {{verify.code}}', ids);
      }
      break;
    case 'split': {
      const seen = new Set<string>();
      node.data.cases.forEach((c, ci) => {
        if (seen.has(c.handle)) err(`${at}.data.cases[${ci}].handle`, `"${c.handle}" is already the name of another branch`, ids);
        seen.add(c.handle);
      });
      break;
    }
    case 'wait.window':
      if (parseTimeOfDay(node.data.from) === parseTimeOfDay(node.data.to)) {
        err(`${at}.data.to`, 'the window is empty: "from" and "to" are the same time', ids);
      }
      break;
    case 'trigger':
    case 'consent.check':
    case 'message.send':
    case 'message.ask':
    case 'wait.delay':
    case 'variable.set':
    case 'end':
      break;
  }
}

function orList(items: string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
