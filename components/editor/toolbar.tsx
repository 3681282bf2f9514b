'use client';

import Link from 'next/link';
import { VerdictBadge } from '@/components/ui/verdict-badge';
import { isDirty } from '@/lib/editor/store';
import { useEditor, useHistory, useEditorStore, useLint } from './editor-context';

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'error'; message: string } | { kind: 'saved'; at: Date };

/** The editor's top bar: back to the list, the flow's name and save state, and the document commands. */
export function Toolbar(props: {
  save: SaveState;
  onSave: () => void;
  onExport: () => void;
  onFitView: () => void;
  onShowProblems: () => void;
}) {
  const store = useEditorStore();
  const name = useEditor((s) => s.doc.name);
  const flowId = useEditor((s) => s.doc.id);
  const dirty = useEditor(isDirty);
  const canUndo = useHistory((h) => h.pastStates.length > 0);
  const canRedo = useHistory((h) => h.futureStates.length > 0);
  const lint = useLint();
  const { save } = props;
  return (
    <header className="editor-toolbar">
      <Link href="/flows" className="toolbar-back" prefetch={false}>
        ← All flows
      </Link>
      <h1 className="toolbar-title" title={name}>
        {name}
      </h1>
      <span className={`save-state${dirty ? ' dirty' : ''}`} role="status" data-testid="save-state">
        {save.kind === 'saving'
          ? 'Saving…'
          : save.kind === 'error'
            ? `Not saved: ${save.message}`
            : dirty
              ? 'Unsaved changes'
              : 'All changes saved'}
      </span>
      {lint.pending ? (
        <span className="badge badge-pending" role="status">
          Checking…
        </span>
      ) : (
        <button
          type="button"
          className="badge-button"
          onClick={props.onShowProblems}
          aria-label={`Compliance: ${lint.errors} errors, ${lint.warnings} warnings. Show problems`}
        >
          <VerdictBadge errors={lint.errors} warnings={lint.warnings} />
        </button>
      )}
      <div className="toolbar-actions">
        <button
          type="button"
          className="btn"
          onClick={() => store.temporal.getState().undo()}
          disabled={!canUndo}
          aria-keyshortcuts="Control+Z Meta+Z"
        >
          Undo
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => store.temporal.getState().redo()}
          disabled={!canRedo}
          aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z"
        >
          Redo
        </button>
        <TidyUp />
        <button type="button" className="btn" onClick={props.onFitView}>
          Fit view
        </button>
        <button type="button" className="btn" onClick={props.onExport}>
          Export JSON
        </button>
        <Link className="btn" prefetch={false} href={`/flows/${encodeURIComponent(flowId)}/versions`} aria-label="Versions and review">
          Versions &amp; review
        </Link>
        <button
          type="button"
          className="btn btn-primary"
          onClick={props.onSave}
          disabled={!dirty || save.kind === 'saving'}
          aria-keyshortcuts="Control+S Meta+S"
        >
          Save draft
        </button>
      </div>
    </header>
  );
}

/**
 * Tidy up, and while it runs (in a Web Worker: the page stays responsive)
 * how far along it is and a Cancel that leaves the canvas as it was.
 */
function TidyUp() {
  const store = useEditorStore();
  const tidy = useEditor((s) => s.tidy);
  if (!tidy) {
    return (
      <button type="button" className="btn" onClick={() => void store.getState().autoLayout()}>
        Tidy up
      </button>
    );
  }
  const percent = Math.round(tidy.progress * 100);
  return (
    <span className="tidy-progress" role="status" data-testid="tidy-progress">
      <progress max={100} value={percent} aria-label="Tidying up" />
      <span>Tidying up… {percent} %</span>
      <button type="button" className="btn btn-small" onClick={() => store.getState().cancelTidy()}>
        Cancel
      </button>
    </span>
  );
}
