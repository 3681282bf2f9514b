'use client';

import { useSyncExternalStore } from 'react';
import type { LintFindings } from '../../lib/editor/lint-index';
import type { FlowDocument } from '../../lib/flow/schema';
import { FlowEditor } from './flow-editor';

const never = () => () => {};

/**
 * The editor runs in the browser only: the canvas needs the browser's layout
 * to place and measure steps, and rendering it on the server would only add
 * work before the page can be used. Its code still comes with the page (a
 * static import, not a lazy one), so the browser fetches it alongside the rest
 * instead of asking for it only after the page has started.
 */
export function ClientFlowEditor({ initial, findings }: { initial: FlowDocument; findings: LintFindings }) {
  // false on the server and while hydrating, true from the first browser render on.
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  if (!inBrowser) {
    return (
      <div className="editor editor-loading" role="status">
        Opening the editor…
      </div>
    );
  }
  return <FlowEditor initial={initial} findings={findings} />;
}
