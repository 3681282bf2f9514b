'use client';

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { TemporalState } from 'zundo';
import type { FlowDocument } from '../../lib/flow/schema';
import { lintFlow, type FlowLint } from '../../lib/editor/lint';
import type { EditorState, EditorStore } from '../../lib/editor/store';

const StoreContext = createContext<EditorStore | null>(null);
const LintContext = createContext<FlowLint | null>(null);
const SimulationContext = createContext<{ activeNodeId: string | null }>({ activeNodeId: null });

/** How long the editor waits after the last edit before it re-runs the analyzer. */
const LINT_DEBOUNCE_MS = 120;

/** Provides the editor store and the analysis derived from its document. */
export function EditorProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return (
    <StoreContext.Provider value={store}>
      <LintProvider store={store}>{children}</LintProvider>
    </StoreContext.Provider>
  );
}

function LintProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  const doc = useStore(store, (s) => s.doc);
  const lint = useDebouncedLint(doc);
  return <LintContext.Provider value={lint}>{children}</LintContext.Provider>;
}

/** The analysis of the document, recomputed a moment after the last change (derived, never stored in the store). */
export function useDebouncedLint(doc: FlowDocument): FlowLint {
  const [settled, setSettled] = useState(doc);
  useEffect(() => {
    if (settled === doc) return;
    const t = setTimeout(() => setSettled(doc), LINT_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [doc, settled]);
  return useMemo(() => lintFlow(settled), [settled]);
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
export function useLint(): FlowLint {
  const lint = useContext(LintContext);
  if (!lint) throw new Error('useLint outside <EditorProvider>');
  return lint;
}

export const SimulationHighlight = SimulationContext.Provider;

/** The node the simulated run is at, if a simulation is running. */
export function useActiveNodeId(): string | null {
  return useContext(SimulationContext).activeNodeId;
}
