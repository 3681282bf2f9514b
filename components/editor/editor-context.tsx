'use client';

import { createContext, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TemporalState } from 'zundo';
import type { Problem } from '@/lib/flow/problem';
import type { FlowDocument } from '@/lib/flow/schema';
import { indexLint, keepUnchanged, type FlowLint, type LintFindings, type ProblemCount } from '@/lib/editor/lint-index';
import { createLintClient, type LintClient } from '@/lib/editor/lint-client';
import { whenIdle } from './when-idle';
import type { EditorState, EditorStore } from '@/lib/editor/store';

const StoreContext = createContext<EditorStore | null>(null);
/** The analysis the editor shows, and whether the first one is still on its way. */
export type EditorLint = FlowLint & { pending: boolean };

const LintContext = createContext<EditorLint | null>(null);
/**
 * The same analysis for the canvas, as a store: each step and connection
 * selects its own entry, so an answer of the analyzer re-renders only those
 * whose problems changed (a context would re-render every one on the canvas).
 */
const CanvasLintContext = createContext<StoreApi<{ lint: EditorLint }> | null>(null);
const SimulationContext = createContext<StoreApi<{ activeNodeId: string | null }> | null>(null);

/** How long the editor waits after the last edit before it re-runs the analyzer. */
const LINT_DEBOUNCE_MS = 120;

/** Provides the editor store and the analysis derived from its document. */
export function EditorProvider({ store, findings, children }: { store: EditorStore; findings?: LintFindings; children: ReactNode }) {
  return (
    <StoreContext.Provider value={store}>
      <LintProvider store={store} findings={findings}>
        {children}
      </LintProvider>
    </StoreContext.Provider>
  );
}

function LintProvider({ store, findings, children }: { store: EditorStore; findings?: LintFindings; children: ReactNode }) {
  const doc = useStore(store, (s) => s.doc);
  const lint = useAnalysis(doc, findings);
  const [canvas] = useState(() => createStore<{ lint: EditorLint }>(() => ({ lint })));
  useLayoutEffect(() => {
    const prev = canvas.getState().lint;
    if (prev !== lint) canvas.setState({ lint: keepUnchanged(prev, lint) });
  }, [canvas, lint]);
  return (
    <LintContext.Provider value={lint}>
      <CanvasLintContext.Provider value={canvas}>{children}</CanvasLintContext.Provider>
    </LintContext.Provider>
  );
}

/** Before the first answer: nothing found yet, and nothing claimed (the toolbar says "Checking…"). */
const PENDING: EditorLint = { problems: [], blocked: new Map(), byNode: new Map(), errors: 0, warnings: 0, valid: false, pending: true };

/**
 * The analysis of the document (derived, never stored in the store). The
 * page arrives with the server's findings for the saved draft, so the first
 * verdict costs the browser nothing; every change is checked a moment after
 * the last edit, off the main thread (lib/editor/lint-client.ts), whose worker
 * starts once the page is idle. Until a newer answer arrives the last one stays
 * on screen; an answer for a document already replaced is dropped.
 */
export function useAnalysis(doc: FlowDocument, findings?: LintFindings): EditorLint {
  const initial = useMemo<EditorLint | null>(() => (findings ? { ...indexLint(findings), pending: false } : null), [findings]);
  const [first] = useState(doc);
  const [client, setClient] = useState<LintClient | null>(null);
  const deferStart = initial !== null;
  useEffect(() => {
    let c: LintClient | null = null;
    const start = () => {
      c = createLintClient();
      setClient(c);
    };
    const cancel = deferStart ? whenIdle(start, 2_000) : (start(), undefined);
    return () => {
      cancel?.();
      c?.dispose();
    };
  }, [deferStart]);
  const [settled, setSettled] = useState(doc);
  useEffect(() => {
    if (settled === doc) return;
    const t = setTimeout(() => setSettled(doc), LINT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [doc, settled]);
  const known = initial !== null && settled === first;
  const [answer, setAnswer] = useState<EditorLint | null>(null);
  useEffect(() => {
    if (!client || known) return;
    let current = true;
    client.lint(settled).then(
      (result) => {
        if (current) setAnswer({ ...result, pending: false });
      },
      () => undefined, // the editor closed
    );
    return () => {
      current = false;
    };
  }, [client, settled, known]);
  if (known) return initial;
  return answer ?? initial ?? PENDING;
}

/** The editor store of the surrounding editor. */
export function useEditorStore(): EditorStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useEditorStore outside <EditorProvider>');
  return store;
}

/** A slice of the editor state. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

/** A slice of the undo history. */
export function useHistory<T>(selector: (s: TemporalState<{ doc: FlowDocument }>) => T): T {
  return useStore(useEditorStore().temporal, selector);
}

/** The current analysis. */
export function useLint(): EditorLint {
  const lint = useContext(LintContext);
  if (!lint) throw new Error('useLint outside <EditorProvider>');
  return lint;
}

function useCanvasLint<T>(select: (lint: EditorLint) => T): T {
  const store = useContext(CanvasLintContext);
  if (!store) throw new Error('useCanvasLint outside <EditorProvider>');
  return useStore(store, (s) => select(s.lint));
}

/** A step's problem counts; the caller re-renders only when they change. */
export function useNodeProblems(id: string): ProblemCount | undefined {
  return useCanvasLint((l) => l.byNode.get(id));
}

/** The errors that block a connection; the caller re-renders only when they change. */
export function useBlockingProblems(id: string): Problem[] | undefined {
  return useCanvasLint((l) => l.blocked.get(id));
}

const NO_SIMULATION = createStore<{ activeNodeId: string | null }>(() => ({ activeNodeId: null }));

/** Marks the node the simulated run is at, for the steps and connections on the canvas. */
export function SimulationHighlight({ activeNodeId, children }: { activeNodeId: string | null; children: ReactNode }) {
  const [store] = useState(() => createStore<{ activeNodeId: string | null }>(() => ({ activeNodeId })));
  useLayoutEffect(() => store.setState({ activeNodeId }), [store, activeNodeId]);
  return <SimulationContext.Provider value={store}>{children}</SimulationContext.Provider>;
}

/** Whether the simulated run is at this node; the caller re-renders only when that changes. */
export function useIsSimulationAt(nodeId: string): boolean {
  return useStore(useContext(SimulationContext) ?? NO_SIMULATION, (s) => s.activeNodeId === nodeId);
}
