'use client';

import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { FlowDocument, NodeType } from '@/lib/flow/schema';
import type { Problem } from '@/lib/flow/problem';
import type { LintFindings } from '@/lib/editor/lint-index';
import { createEditorStore, isDirty, type EditorStore } from '@/lib/editor/store';
import { guardLeaving } from '@/components/ui/leave-guard';
import { EditorProvider, SimulationHighlight, useEditor, useEditorStore, useLint } from './editor-context';
import { ExportDialog } from './export-dialog';
import { FlowCanvas } from './flow-canvas';
import { Inspector } from './inspector';
import { Palette } from './palette';
import { ProblemsPanel } from './problems-panel';
import { Toolbar, type SaveState } from './toolbar';

type Tab = 'inspect' | 'problems' | 'simulate';

// Loaded when first opened: the simulator carries the send-time guard with its
// state and holiday data, which the canvas does not need to start.
const SimulatorPanel = dynamic(() => import('./simulator-panel').then((m) => m.SimulatorPanel), {
  ssr: false,
  loading: () => <p className="panel-hint">Loading the simulator…</p>,
});

/** The flow editor: palette, canvas, and a side panel to inspect, review problems and simulate. */
export function FlowEditor({ initial, findings }: { initial: FlowDocument; findings?: LintFindings }) {
  const store = useMemo<EditorStore>(() => createEditorStore(initial), [initial]);
  // The layout worker, if Tidy up started one, ends with the editor.
  useEffect(() => () => store.getState().dispose(), [store]);
  return (
    <EditorProvider store={store} findings={findings}>
      <ReactFlowProvider>
        <EditorShell />
      </ReactFlowProvider>
    </EditorProvider>
  );
}

/**
 * Focuses a step just added once React Flow has drawn and measured it (a
 * frame or two later), so the keyboard carries on from the new step.
 */
function focusStepWhenDrawn(canvas: HTMLElement | null, id: string): void {
  let frames = 0;
  const attempt = () => {
    const el = canvas?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
    // React Flow keeps a step hidden (unfocusable) until it has measured it.
    el?.focus();
    if (el && document.activeElement === el) return;
    if (++frames < 60) requestAnimationFrame(attempt);
  };
  requestAnimationFrame(attempt);
}

const FIELDS = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

/**
 * Tab from the selected step goes to its inspector (its first field, or the
 * panel while the form loads) rather than through every other step on the canvas.
 */
function tabToInspector(event: ReactKeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement;
  if (!target.classList.contains('react-flow__node') || !target.classList.contains('selected')) return;
  const panel = document.getElementById('panel-inspect');
  if (!panel) return;
  event.preventDefault();
  (panel.querySelector<HTMLElement>(`.inspector ${FIELDS}`) ?? panel).focus();
}

function EditorShell() {
  const store = useEditorStore();
  const lint = useLint();
  const hint = useEditor((s) => s.hint);
  const hasTrigger = useEditor((s) => s.doc.nodes.some((n) => n.type === 'trigger'));
  const { fitView, getViewport, setCenter } = useReactFlow();
  const [tab, setTab] = useState<Tab>('inspect');
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [exporting, setExporting] = useState(false);
  const [activeNodeId, setActiveNodeId] = useState<string | null>(null);
  // The simulator mounts the first time its tab opens, then stays (a run survives switching tabs).
  const [simulatorOpened, setSimulatorOpened] = useState(false);
  if (tab === 'simulate' && !simulatorOpened) setSimulatorOpened(true);
  const canvasRef = useRef<HTMLDivElement>(null);

  const saveDraft = useCallback(async () => {
    const doc = store.getState().doc;
    setSave({ kind: 'saving' });
    try {
      const res = await fetch(`/api/flows/${encodeURIComponent(doc.id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ draft: doc }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setSave({ kind: 'error', message: body?.error?.message ?? `the server answered ${res.status}` });
        return;
      }
      store.getState().markSaved(doc);
      setSave({ kind: 'saved', at: new Date() });
    } catch {
      setSave({ kind: 'error', message: 'the server could not be reached' });
    }
  }, [store]);

  // Every way out with unsaved changes asks first: reload, in-app links, Back and Forward, signing out.
  useEffect(() => guardLeaving(() => isDirty(store.getState())), [store]);

  // Keyboard: undo/redo, copy/paste, save. Typing in a field keeps the field's own shortcuts.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === 's') {
        event.preventDefault();
        if (isDirty(store.getState())) void saveDraft();
        return;
      }
      const target = event.target as HTMLElement | null;
      if (target && (target.closest('input, textarea, select, [contenteditable="true"]') || target.isContentEditable)) return;
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        store.temporal.getState().undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        store.temporal.getState().redo();
      } else if (key === 'c') {
        store.getState().copy();
      } else if (key === 'v') {
        store.getState().paste();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, saveDraft]);

  const addFromPalette = useCallback(
    (type: NodeType) => {
      const s = store.getState();
      const after = s.selection.nodes.length === 1 ? s.selection.nodes[0] : undefined;
      const rect = canvasRef.current?.getBoundingClientRect();
      const vp = getViewport();
      const center = rect ? { x: (rect.width / 2 - vp.x) / vp.zoom - 120, y: (rect.height / 2 - vp.y) / vp.zoom - 50 } : { x: 0, y: 0 };
      // Stagger clicks so added steps do not sit on one another.
      const offset = (s.doc.nodes.length % 5) * 24;
      const id = s.addNode(type, { x: Math.round(center.x + offset), y: Math.round(center.y + offset) }, after);
      if (!id) return;
      setTab('inspect');
      focusStepWhenDrawn(canvasRef.current, id);
      // Follow the new step when it lands outside the visible canvas.
      const pos = store.getState().doc.nodes.find((n) => n.id === id)?.position;
      if (pos && rect) {
        const sx = pos.x * vp.zoom + vp.x;
        const sy = pos.y * vp.zoom + vp.y;
        const inView = sx >= 0 && sy >= 0 && sx + 240 * vp.zoom <= rect.width && sy + 170 * vp.zoom <= rect.height;
        if (!inView) void setCenter(pos.x + 120, pos.y + 85, { zoom: vp.zoom, duration: 200 });
      }
    },
    [store, getViewport, setCenter],
  );

  const reveal = useCallback(
    (p: Problem) => {
      const s = store.getState();
      const edge = p.edgeId ? s.doc.edges.find((e) => e.id === p.edgeId) : undefined;
      if (edge) {
        s.select({ nodes: [], edges: [edge.id] });
        void fitView({ nodes: [{ id: edge.source }, { id: edge.target }], duration: 300, maxZoom: 1.2, padding: 0.4 });
        return;
      }
      const node = p.nodeId ? s.doc.nodes.find((n) => n.id === p.nodeId) : undefined;
      if (node) {
        s.select({ nodes: [node.id], edges: [] });
        const pos = node.position ?? { x: 0, y: 0 };
        void setCenter(pos.x + 120, pos.y + 60, { zoom: 1.1, duration: 300 });
        setTab('inspect');
      }
    },
    [store, fitView, setCenter],
  );

  return (
    <SimulationHighlight activeNodeId={activeNodeId}>
      <div className="editor">
        <Toolbar
          save={save}
          onSave={() => void saveDraft()}
          onExport={() => setExporting(true)}
          onFitView={() => void fitView({ padding: 0.2, duration: 300 })}
          onShowProblems={() => setTab('problems')}
        />
        <div className="editor-body">
          <Palette onAdd={addFromPalette} hasTrigger={hasTrigger} />
          <main className="editor-canvas" ref={canvasRef} aria-label="Canvas" onKeyDown={tabToInspector}>
            <FlowCanvas />
            {hint && (
              <div className="canvas-hint" role="alert">
                <span>{hint}</span>
                <button type="button" className="btn btn-small" onClick={() => store.getState().showHint(null)}>
                  OK
                </button>
              </div>
            )}
          </main>
          <aside className="side-panel" aria-label="Details">
            <div role="tablist" aria-label="Panels" className="tabs">
              {(['inspect', 'problems', 'simulate'] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  id={`tab-${t}`}
                  aria-selected={tab === t}
                  aria-controls={`panel-${t}`}
                  className="tab"
                  onClick={() => setTab(t)}
                >
                  {t === 'inspect' ? 'Inspect' : t === 'problems' ? `Problems (${lint.problems.length})` : 'Simulate'}
                </button>
              ))}
            </div>
            {tab !== 'simulate' && (
              <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel" tabIndex={-1}>
                {tab === 'inspect' ? <Inspector /> : <ProblemsPanel onReveal={reveal} />}
              </div>
            )}
            {/* Kept mounted so a run survives switching tabs. */}
            <div className="tab-panel" hidden={tab !== 'simulate'} role="tabpanel" id="panel-simulate" aria-labelledby="tab-simulate">
              {simulatorOpened && <SimulatorPanel onActiveNode={setActiveNodeId} />}
            </div>
          </aside>
        </div>
        {exporting && <ExportDialog doc={store.getState().doc} valid={lint.valid} onClose={() => setExporting(false)} />}
      </div>
    </SimulationHighlight>
  );
}
