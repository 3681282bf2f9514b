import { temporal, type TemporalState } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FlowDocument, NodeType } from '@/lib/flow/schema';
import { applyChange, type EditorChange, type XY } from './changes';
import { copySelection, pasteClipboard, type Clipboard } from './clipboard';
import { safeOutputs } from './connection';
import { defaultNode, newNodeId } from './defaults';
import { createLayoutClient, LayoutCancelled, type LayoutClient } from './layout-client';
import { NODE_HEIGHT } from './sizes';

export interface Selection {
  nodes: string[];
  edges: string[];
}

/** What the editor holds. Only `doc` is history; everything else is the view of it. */
export interface EditorState {
  doc: FlowDocument;
  /** The document as last saved: the flow is dirty while `doc` is another object. */
  savedDoc: FlowDocument;
  selection: Selection;
  /** Positions of nodes being dragged, until the drag ends and becomes one `move`. */
  dragging: Record<string, XY> | null;
  /** Sizes the canvas measured, by node id. */
  measured: Record<string, { width: number; height: number }>;
  /** A refused edit's hint, shown until the next edit. */
  hint: string | null;
  clipboard: Clipboard | null;
  /** Tidy up while it runs: how far along it is (0 to 1). */
  tidy: { progress: number } | null;

  apply(change: EditorChange, options?: { coalesceKey?: string }): boolean;
  select(selection: Partial<Selection>): void;
  drag(positions: Record<string, XY> | null): void;
  measure(sizes: Record<string, { width: number; height: number }>): void;
  /** Adds a node of a type; with `after`, below that node and connected from its first free output. */
  addNode(type: NodeType, at?: XY, after?: string): string | null;
  deleteSelection(): void;
  copy(): void;
  paste(): void;
  /**
   * Tidy up: lays the steps out top to bottom off the page's thread (one undo
   * step when it lands); edits made meanwhile are kept. Resolves when it has
   * landed, was cancelled or failed (then a hint says so and nothing changed).
   */
  autoLayout(): Promise<void>;
  /** Stops a running Tidy up; the document stays as it is. */
  cancelTidy(): void;
  /** Ends the editor's background work (the layout worker). */
  dispose(): void;
  markSaved(doc: FlowDocument): void;
  showHint(hint: string | null): void;
}

export type EditorStore = StoreApi<EditorState> & { temporal: StoreApi<TemporalState<{ doc: FlowDocument }>> };

/** Typing in one field within this many ms is one undo step. */
const COALESCE_MS = 1000;

/**
 * A store for one editor session over a document. Its steps should have
 * positions (the editor page lays out a document imported without them,
 * in its layout worker before the store is made, components/editor/client-editor.tsx); one without is drawn at the origin.
 */
export function createEditorStore(
  initial: FlowDocument,
  options: { now?: () => number; layoutClient?: () => LayoutClient } = {},
): EditorStore {
  const now = options.now ?? (() => performance.now());
  const doc = initial;
  let lastCoalesce: { key: string; at: number } | null = null;
  let layouts: LayoutClient | null = null;
  let tidying: AbortController | null = null;

  const store = createStore<EditorState>()(
    temporal(
      (set, get) => ({
        doc,
        savedDoc: doc,
        selection: { nodes: [], edges: [] },
        dragging: null,
        measured: {},
        hint: null,
        clipboard: null,
        tidy: null,

        apply(change, opts = {}) {
          const state = get();
          const result = applyChange(state.doc, change);
          if (result.refusal !== undefined) {
            set({ hint: result.refusal });
            return false;
          }
          if (result.doc === state.doc) return true;
          const t = now();
          const coalesce = opts.coalesceKey !== undefined && lastCoalesce?.key === opts.coalesceKey && t - lastCoalesce.at < COALESCE_MS;
          lastCoalesce = opts.coalesceKey !== undefined ? { key: opts.coalesceKey, at: t } : null;
          const history = (store as EditorStore).temporal.getState();
          if (coalesce) history.pause();
          set({ doc: result.doc, hint: null, selection: prune(state.selection, result.doc) });
          if (coalesce) history.resume();
          return true;
        },

        select(selection) {
          const cur = get().selection;
          const next = { nodes: selection.nodes ?? cur.nodes, edges: selection.edges ?? cur.edges };
          if (sameList(next.nodes, cur.nodes) && sameList(next.edges, cur.edges)) return;
          set({ selection: next });
        },

        drag(positions) {
          set({ dragging: positions });
        },

        measure(sizes) {
          set({ measured: { ...get().measured, ...sizes } });
        },

        addNode(type, at, after) {
          const state = get();
          const taken = new Set(state.doc.nodes.map((n) => n.id));
          const id = newNodeId(taken, type);
          const from = after ? state.doc.nodes.find((n) => n.id === after) : undefined;
          let position = at ?? { x: 0, y: 0 };
          let edges: { source: string; sourceHandle: string; target: string }[] = [];
          if (from && from.type !== 'end') {
            const used = new Set(state.doc.edges.filter((e) => e.source === from.id).map((e) => e.sourceHandle));
            const outputs = safeOutputs(from);
            const free = outputs.find((o) => !used.has(o));
            const index = free ? outputs.indexOf(free) : 0;
            const base = from.position ?? { x: 0, y: 0 };
            position = { x: base.x + index * 260, y: base.y + NODE_HEIGHT + 60 };
            if (free && type !== 'trigger') edges = [{ source: from.id, sourceHandle: free, target: id }];
          }
          const node = defaultNode(type, id, state.doc.policy.brand, position);
          const ok = get().apply({ type: 'add', nodes: [node], edges: edges.map((e) => ({ id: '', ...e })) });
          if (!ok) return null;
          set({ selection: { nodes: [id], edges: [] } });
          return id;
        },

        deleteSelection() {
          const { selection } = get();
          if (selection.nodes.length === 0 && selection.edges.length === 0) return;
          get().apply({ type: 'remove', nodeIds: selection.nodes, edgeIds: selection.edges });
          set({ selection: { nodes: [], edges: [] } });
        },

        copy() {
          const { doc: d, selection } = get();
          if (selection.nodes.length > 0) set({ clipboard: copySelection(d, selection.nodes) });
        },

        paste() {
          const { clipboard, doc: d } = get();
          if (!clipboard) return;
          const pasted = pasteClipboard(d, clipboard);
          if (pasted.nodes.length === 0) return;
          if (get().apply({ type: 'add', nodes: pasted.nodes, edges: pasted.edges })) {
            // The next paste lands a step further along.
            set({
              selection: { nodes: pasted.nodes.map((n) => n.id), edges: [] },
              clipboard: { nodes: pasted.nodes, edges: pasted.edges },
            });
          }
        },

        async autoLayout() {
          if (tidying) return;
          const controller = new AbortController();
          tidying = controller;
          const start = get().doc;
          set({ tidy: { progress: 0 }, hint: null });
          try {
            layouts ??= (options.layoutClient ?? createLayoutClient)();
            const positions = await layouts.layout(start, get().measured, {
              signal: controller.signal,
              onProgress: (progress) => {
                if (tidying === controller) set({ tidy: { progress } });
              },
            });
            // A step moved or added while the layout ran stays where the user put it.
            const before = new Map(start.nodes.map((n) => [n.id, n.position]));
            const moves: Record<string, XY> = {};
            for (const n of get().doc.nodes) {
              const p = positions[n.id];
              if (p && before.has(n.id) && samePosition(before.get(n.id), n.position)) moves[n.id] = p;
            }
            set({ tidy: null });
            get().apply({ type: 'move', positions: moves });
          } catch (err) {
            const cancelled = err instanceof LayoutCancelled;
            set({ tidy: null, hint: cancelled ? null : 'Tidy up could not finish; nothing was moved.' });
          } finally {
            if (tidying === controller) tidying = null;
          }
        },

        cancelTidy() {
          tidying?.abort();
        },

        dispose() {
          tidying?.abort();
          layouts?.dispose();
          layouts = null;
        },

        markSaved(saved) {
          set({ savedDoc: saved });
        },

        showHint(hint) {
          set({ hint });
        },
      }),
      {
        partialize: (s) => ({ doc: s.doc }),
        equality: (a, b) => a.doc === b.doc,
        limit: 300,
      },
    ),
  ) as EditorStore;
  return store;
}

/** Whether the document differs from the last saved one. */
export function isDirty(state: Pick<EditorState, 'doc' | 'savedDoc'>): boolean {
  return state.doc !== state.savedDoc;
}

function prune(selection: Selection, doc: FlowDocument): Selection {
  if (selection.nodes.length === 0 && selection.edges.length === 0) return selection;
  const nodes = new Set(doc.nodes.map((n) => n.id));
  const edges = new Set(doc.edges.map((e) => e.id));
  const next = { nodes: selection.nodes.filter((id) => nodes.has(id)), edges: selection.edges.filter((id) => edges.has(id)) };
  return next.nodes.length === selection.nodes.length && next.edges.length === selection.edges.length ? selection : next;
}

function samePosition(a: XY | undefined, b: XY | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.x === b.x && a.y === b.y);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
