import { NODE_CATALOG } from './catalog';
import type { Problem } from './problem';
import type { FlowDocument, FlowNode } from './schema';

/** A problem as a marketer reads it: where (a step's label, a connection between two steps, or the flow) and a plain sentence. */
export interface ProblemText {
  /** "Step “Ask for ZIP”", "The connection from “Ask” (yes) to “Pay”", or "The flow". */
  where: string;
  /** The analyzer's sentence, with a step named by its label or title rather than its id. */
  sentence: string;
  severity: Problem['severity'];
  /** For developers (a "Details" disclosure): the rule code, the step or edge id, the JSON path. */
  details: string;
}

/** How the UI names a step: its label, else its type's title. */
export function stepLabel(node: Pick<FlowNode, 'type' | 'label'>): string {
  return node.label ?? NODE_CATALOG[node.type].title;
}

/** Describes each problem of a flow in plain words, naming steps by their labels (ids, paths and rule codes only in `details`). */
export function describeProblems(flow: Pick<FlowDocument, 'nodes' | 'edges'>, problems: readonly Problem[]): ProblemText[] {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const edges = new Map(flow.edges.map((e) => [e.id, e]));
  const quoted = (id: string) => {
    const node = byId.get(id);
    return node ? `“${stepLabel(node)}”` : 'a step that is not in the flow';
  };
  return problems.map((p) => {
    let where = 'The flow';
    const edge = p.edgeId !== undefined ? edges.get(p.edgeId) : undefined;
    const index = p.path ? /^nodes\[(\d+)\]/.exec(p.path)?.[1] : undefined;
    const node = p.nodeId !== undefined ? byId.get(p.nodeId) : index !== undefined ? flow.nodes[Number(index)] : undefined;
    if (edge) where = `The connection from ${quoted(edge.source)} (${edge.sourceHandle}) to ${quoted(edge.target)}`;
    else if (node) where = `Step “${stepLabel(node)}”`;
    const details = [`rule ${p.rule}`, p.nodeId && `step id ${p.nodeId}`, p.edgeId && `edge id ${p.edgeId}`, p.path && `path ${p.path}`]
      .filter(Boolean)
      .join(' · ');
    return { where, sentence: withoutIds(p.message, byId), severity: p.severity, details };
  });
}

/** The analyzer names an unlabelled step as `Title "id"`; the UI says `the “Title” step` instead. */
function withoutIds(message: string, byId: ReadonlyMap<string, FlowNode>): string {
  return message.replace(/([A-Z][A-Za-z ]*?) "([^"\s]{1,64})"/g, (whole, title: string, id: string) => {
    const node = byId.get(id);
    if (!node || node.label) return whole;
    const own = NODE_CATALOG[node.type].title;
    return title.endsWith(own) ? `${title.slice(0, -own.length)}the “${own}” step` : whole;
  });
}
