import { z } from 'zod';
import { parseFlow, parseFlowJson } from '@/lib/flow/parse';
import { flowDraftSchema, type FlowDocument, type FlowDraft } from '@/lib/flow/schema';
import { AppError } from '@/lib/app-error';
import { checkFlowSize } from './flow-limits';
import { problemDetails } from './problem-details';

/**
 * The request bodies that carry a flow document (an import, a saved draft)
 * and how they are read. Nothing here touches the database, so a worker
 * thread can read a big body (lib/http/flow-body.ts).
 */

/** An import: the flow as pasted JSON text, or as the document itself. */
export const importBody = z.union(
  [z.strictObject({ text: z.string({ error: 'paste the flow JSON' }) }), z.strictObject({ document: z.unknown() })],
  { error: 'send { "text": "<flow JSON>" } or { "document": { … } }' },
);

/** A draft to save: its size is checked (FLOW_LIMITS, 422) before the schema reads a step of it. */
export const saveBody = z.strictObject({
  draft: z.preprocess((draft) => {
    checkFlowSize(draft, 'draft');
    return draft;
  }, flowDraftSchema),
});

/**
 * A flow document read from a request's body, ready to store: its JSON as
 * Postgres's binary `jsonb` (a worker thread reads a big one and hands these
 * bytes over without copying them: lib/http/flow-body-thread.ts).
 */
export interface FlowText {
  jsonb: Uint8Array;
  id: string;
  name: string;
  steps: number;
  edges: number;
}

/** JSON text as Postgres's binary `jsonb` input: the format's version byte (1), then the text in UTF-8. */
export function jsonbBytes(json: string): Uint8Array {
  // Its own buffer, exactly as long as the bytes: a worker thread hands the whole buffer over.
  const bytes = new Uint8Array(1 + Buffer.byteLength(json, 'utf8'));
  bytes[0] = 1;
  new TextEncoder().encodeInto(json, bytes.subarray(1));
  return bytes;
}

/** The JSON text of `jsonbBytes`' output. */
export function jsonOfJsonb(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1).toString('utf8');
}

/** The document as the bytes to store, with what the services need to know of it without parsing it again. */
export function flowText(doc: FlowDraft): FlowText {
  return { jsonb: jsonbBytes(JSON.stringify(doc)), id: doc.id, name: doc.name, steps: doc.nodes.length, edges: doc.edges.length };
}

/**
 * An import's document, checked: its size (FLOW_LIMITS, 422) before the
 * schema reads it, a syntax error named by line and column, and every
 * problem with its path (invalid_flow, 422); nothing is saved unless it is
 * valid.
 */
export function readImportBody(body: z.infer<typeof importBody>): FlowDocument {
  const parsed = 'text' in body ? parseFlowText(body.text) : parseFlow(checkedSize(body.document));
  if (!parsed.ok) {
    const n = parsed.problems.length;
    throw new AppError('invalid_flow', `the flow was not imported: ${n} problem${n === 1 ? '' : 's'} to fix`, {
      details: problemDetails(parsed.problems),
    });
  }
  return parsed.flow;
}

function checkedSize(document: unknown): unknown {
  checkFlowSize(document);
  return document;
}

/** Pasted flow JSON: its size checked before the schema reads it; a syntax error named by line and column (parseFlowJson). */
function parseFlowText(text: string): ReturnType<typeof parseFlow> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseFlowJson(text);
  }
  return parseFlow(checkedSize(value));
}
