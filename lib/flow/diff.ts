import { formatPath } from './problem';
import type { FlowDocument, FlowEdge, FlowNode } from './schema';

/**
 * What changed between two versions of a flow, for the reviewer (the visual
 * diff and the list of changed fields). Nodes and edges are matched by id,
 * never by their place in the lists, so reordering the lists changes nothing.
 *
 * A node whose position alone changed is "moved", not "changed": position is
 * layout, it changes no run, and listing it as a change would bury the real
 * changes after a "Tidy up". (Moving still changes the content hash, so a
 * moved flow is still a new version that needs its own approval.)
 */
export interface FlowDiff {
  nodes: { added: string[]; removed: string[]; changed: ElementChange[]; moved: string[] };
  edges: { added: string[]; removed: string[]; changed: ElementChange[] };
  /** Changes to the flow's own fields: name, description, policy, schemaVersion. */
  document: FieldChange[];
  /** Every change in one list, as the review page shows it: the flow's fields, then nodes, then edges. */
  changes: FieldChange[];
  /** Whether anything but node positions changed. */
  hasContentChanges: boolean;
}

/** One node or edge that is in both versions with different content. */
export interface ElementChange {
  id: string;
  fields: FieldChange[];
}

/**
 * One changed value at a JSON path such as `nodes.remind.data.body` or
 * `edges.e1.target` (`nodes["send-1"]…` for ids that are not identifiers).
 * `before` is absent when the value was added, `after` when it was removed.
 */
export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** Diffs two flow documents; `before` null means there is nothing to compare with (everything is added). */
export function diffFlows(before: FlowDocument | null, after: FlowDocument): FlowDiff {
  const document: FieldChange[] = [];
  const docFields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of docFields) {
    if (key === 'nodes' || key === 'edges') continue;
    diffValue([key], before ? (before as Record<string, unknown>)[key] : undefined, (after as Record<string, unknown>)[key], document);
  }

  const nodes = diffElements(before?.nodes ?? [], after.nodes, 'nodes', nodeContent);
  const moved = after.nodes
    .filter((n) => {
      const old = before?.nodes.find((o) => o.id === n.id);
      return old !== undefined && !deepEqual(old.position, n.position);
    })
    .map((n) => n.id);
  const edges = diffElements(before?.edges ?? [], after.edges, 'edges', edgeContent);

  const changes = [...document, ...nodes.changes, ...edges.changes];
  return {
    nodes: { added: nodes.added, removed: nodes.removed, changed: nodes.changed, moved },
    edges: { added: edges.added, removed: edges.removed, changed: edges.changed },
    document,
    changes,
    hasContentChanges: changes.length > 0,
  };
}

/** A node's content: everything but its id and its place on the canvas. */
function nodeContent(node: FlowNode): Record<string, unknown> {
  const { id: _id, position: _position, ...rest } = node;
  return rest;
}

function edgeContent(edge: FlowEdge): Record<string, unknown> {
  const { id: _id, ...rest } = edge;
  return rest;
}

function diffElements<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  list: 'nodes' | 'edges',
  content: (element: T) => Record<string, unknown>,
) {
  const old = new Map(before.map((e) => [e.id, e]));
  const now = new Set(after.map((e) => e.id));
  const added: string[] = [];
  const changed: ElementChange[] = [];
  const changes: FieldChange[] = [];
  for (const element of after) {
    const prior = old.get(element.id);
    if (prior === undefined) {
      added.push(element.id);
      changes.push({ path: formatPath([list, element.id]), kind: 'added', after: element });
      continue;
    }
    const fields: FieldChange[] = [];
    diffValue([list, element.id], content(prior), content(element), fields);
    if (fields.length > 0) {
      changed.push({ id: element.id, fields });
      changes.push(...fields);
    }
  }
  const removed = before.filter((e) => !now.has(e.id));
  for (const element of removed) changes.push({ path: formatPath([list, element.id]), kind: 'removed', before: element });
  return { added, removed: removed.map((e) => e.id), changed, changes };
}

/** Appends the leaf-level differences between two JSON values. */
function diffValue(path: PropertyKey[], before: unknown, after: unknown, out: FieldChange[]): void {
  if (deepEqual(before, after)) return;
  if (before === undefined) {
    out.push({ path: formatPath(path), kind: 'added', after });
    return;
  }
  if (after === undefined) {
    out.push({ path: formatPath(path), kind: 'removed', before });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) diffValue([...path, key], before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) diffValue([...path, i], before[i], after[i], out);
    return;
  }
  out.push({ path: formatPath(path), kind: 'changed', before, after });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (key order does not matter; an absent key equals an undefined one). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!deepEqual(a[key], b[key])) return false;
  return true;
}
