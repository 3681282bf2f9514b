import { flowText, importBody, readImportBody, saveBody, type FlowText } from '@/lib/flows/flow-bodies';
import { parseJsonText, utf8Text } from './body';
import { parseWith } from './route';

/** Which route's body: an import (`{ text }` or `{ document }`) or a draft to save (`{ draft }`). */
export type FlowBodyKind = 'import' | 'save';

/** The schema each kind of flow body is validated with. */
export const FLOW_BODY_SCHEMAS = { import: importBody, save: saveBody } as const;

/**
 * Reads a flow body's text on the calling thread, as any JSON body is read
 * (`parseJsonText`: depth, NUL characters; then the route's schema), into
 * the document's bytes to store; errors are AppErrors naming the problem and its
 * path.
 */
export function readFlowBodyText(text: string, kind: FlowBodyKind): FlowText {
  const value = parseJsonText(text);
  const doc = kind === 'import' ? readImportBody(parseWith(importBody, value)) : parseWith(saveBody, value).draft;
  return flowText(doc);
}

/** `readFlowBodyText` of a body's bytes (bytes that are not UTF-8 are a 400). */
export function readFlowBody(bytes: Uint8Array, kind: FlowBodyKind): FlowText {
  return readFlowBodyText(utf8Text(bytes), kind);
}
