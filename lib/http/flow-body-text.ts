import { flowText, importBody, readImportBody, saveBody, type FlowText } from '@/lib/flows/flow-bodies';
import { parseJsonText } from './body';
import { parseWith } from './route';

/** Which route's body: an import (`{ text }` or `{ document }`) or a draft to save (`{ draft }`). */
export type FlowBodyKind = 'import' | 'save';

/** The schema each kind of flow body is validated with. */
export const FLOW_BODY_SCHEMAS = { import: importBody, save: saveBody } as const;

/**
 * Reads a flow body's text on the calling thread, as any JSON body is read
 * (`parseJsonText`: depth, NUL characters; then the route's schema), into
 * the JSON text to store; errors are AppErrors naming the problem and its
 * path.
 */
export function readFlowBodyText(text: string, kind: FlowBodyKind): FlowText {
  const value = parseJsonText(text);
  const doc = kind === 'import' ? readImportBody(parseWith(importBody, value)) : parseWith(saveBody, value).draft;
  return flowText(doc);
}
