import { createHash } from 'node:crypto';
import type { Flow } from '@/lib/db/flow-repository';
import { withPositions } from '@/lib/editor/layout';
import { lintFindings, type LintFindings } from '@/lib/editor/lint';
import type { FlowDocument } from '@/lib/flow/schema';
import { summarize, type FlowSummary } from './flow-service';

/** What the editor opens with: the flow, its draft laid out where it has no positions, and the analyzer's findings on it. */
export interface EditorView {
  flow: FlowSummary;
  draft: FlowDocument;
  findings: LintFindings;
}

/**
 * The editor's view of a flow. The draft is laid out here when it was
 * imported without positions, and checked here, so the browser opens the
 * editor without loading the layout code or running the analyzer first.
 */
export function editorView(flow: Flow): EditorView {
  const key = createHash('sha256').update(JSON.stringify(flow.draft)).digest('base64url');
  let checked = checkedDrafts.get(key);
  if (!checked) {
    // A saved draft has the document's shape (the save route checks it); its node data may be mid-edit, which the findings show.
    const draft = withPositions(flow.draft as unknown as FlowDocument);
    checked = { draft, findings: lintFindings(draft) };
    if (checkedDrafts.size >= CHECKED_DRAFTS_KEPT) checkedDrafts.delete(checkedDrafts.keys().next().value!);
    checkedDrafts.set(key, checked);
  }
  return { flow: summarize(flow), ...checked };
}

/**
 * Drafts already laid out and checked, by their content (so an edit is never
 * answered with an older check). Checking a 1,000-step draft takes the server
 * 90–230 ms of one thread, during which it answers none of the page's script
 * requests; opening a draft again (a reload, a colleague, the way back) skips
 * it. Trades up to a few MB of memory a server process for that.
 */
const checkedDrafts = new Map<string, { draft: FlowDocument; findings: LintFindings }>();
const CHECKED_DRAFTS_KEPT = 20;
