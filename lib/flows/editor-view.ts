import { createHash } from 'node:crypto';
import type { Flow, FlowHead } from '@/lib/db/flow-repository';
import { lintFindings, type LintFindings } from '@/lib/editor/lint';
import type { FlowDocument } from '@/lib/flow/schema';
import { summarize, type FlowSummary } from './flow-service';

/**
 * What the editor opens with: the flow, its draft as saved, and the
 * analyzer's findings on it when the server checked it (null: the editor's
 * analysis worker checks it in the browser).
 */
export interface EditorView {
  flow: FlowSummary;
  draft: FlowDocument;
  findings: LintFindings | null;
}

/**
 * The largest draft the server checks for the editor. Checking costs the
 * server's one thread about 0.1 ms a step (more under load), during which it
 * answers nobody; past this a 2,000-step draft would hold every other request
 * for a quarter of a second. A bigger draft opens with "Checking…" and the
 * browser's analysis worker answers instead. Trades the first verdict's
 * wait on big flows for a server that stays responsive.
 */
export const SERVER_CHECK_MAX_STEPS = 300;

/**
 * The editor's view of a flow. A small draft is checked here, so the browser
 * shows its verdict without running the analyzer first. Nothing is laid out
 * here: a draft imported without positions is laid out by the editor in a
 * Web Worker (lib/editor/layout-client.ts), so no request's work grows with
 * the layout's.
 */
export function editorView(flow: Flow): EditorView {
  const draft = flow.draft as unknown as FlowDocument;
  const steps = Array.isArray(draft.nodes) ? draft.nodes.length : 0;
  const findings = steps > SERVER_CHECK_MAX_STEPS ? null : findingsFor(JSON.stringify(flow.draft), draft);
  return { flow: summarize(flow), draft, findings };
}

/**
 * The editor's view with the draft as the JSON text the database wrote:
 * parsed (to be checked) only when it is small, so opening a big flow costs
 * the server's thread no parsing or serializing of it.
 */
export function editorViewText(flow: FlowHead, draftText: string): { view: Omit<EditorView, 'draft'>; draftText: string } {
  if (flow.nodeCount > SERVER_CHECK_MAX_STEPS) return { view: { flow: summarize(flow), findings: null }, draftText };
  return { view: { flow: summarize(flow), findings: findingsFor(draftText, JSON.parse(draftText) as FlowDocument) }, draftText };
}

// The findings on a draft, from the cache when its text was checked before.
function findingsFor(text: string, draft: FlowDocument): LintFindings {
  const key = createHash('sha256').update(text).digest('base64url');
  let findings = checkedDrafts.get(key);
  if (!findings) {
    // A saved draft has the document's shape (the save route checks it); its node data may be mid-edit, which the findings show.
    findings = lintFindings(draft);
    if (checkedDrafts.size >= CHECKED_DRAFTS_KEPT) checkedDrafts.delete(checkedDrafts.keys().next().value!);
    checkedDrafts.set(key, findings);
  }
  return findings;
}

/**
 * Findings already made, by the draft's content (so an edit is never answered
 * with an older check); opening a draft again (a reload, a colleague, the way
 * back) skips the check. Trades up to a few MB of memory a server process for
 * that.
 */
const checkedDrafts = new Map<string, LintFindings>();
const CHECKED_DRAFTS_KEPT = 20;
