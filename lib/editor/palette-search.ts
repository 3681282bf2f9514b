import { NODE_CATALOG } from '@/lib/flow/catalog';
import type { NodeType } from '@/lib/flow/schema';

/** Everything the palette's search looks through for a step type: its action, short name, description and other words for it. */
function searchText(type: NodeType): string {
  const c = NODE_CATALOG[type];
  return [c.action, c.title, c.note, ...c.keywords].join(' ').toLowerCase();
}

/**
 * The step types a palette search finds, in the palette's order: those whose
 * action, name, description or keywords contain every word of the query
 * (case-insensitive; "wait reply" finds "Ask a question and wait for the
 * reply"). An empty query finds them all.
 */
export function searchSteps(types: readonly NodeType[], query: string): NodeType[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return [...types];
  return types.filter((type) => {
    const text = searchText(type);
    return words.every((w) => text.includes(w));
  });
}
