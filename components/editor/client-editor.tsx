'use client';

import dynamic from 'next/dynamic';
import type { FlowDocument } from '../../lib/flow/schema';

/**
 * The editor runs in the browser only: the canvas needs the browser's layout
 * to place and measure steps, and rendering it on the server would only add
 * work before the page can be used.
 */
const FlowEditor = dynamic(() => import('./flow-editor').then((m) => m.FlowEditor), {
  ssr: false,
  loading: () => (
    <div className="editor editor-loading" role="status">
      Opening the editor…
    </div>
  ),
});

export function ClientFlowEditor({ initial }: { initial: FlowDocument }) {
  return <FlowEditor initial={initial} />;
}
