'use client';

import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type EdgeTypes,
  type FinalConnectionState,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useState, type DragEvent } from 'react';
import { NODE_TYPES } from '@/lib/flow/node-types';
import type { NodeType } from '@/lib/flow/schema';
import type { XY } from '@/lib/editor/changes';
import { connectionRefusal } from '@/lib/editor/connection';
import { createEdgeConverter, createNodeConverter, type CanvasEdge, type CanvasNode } from '@/lib/editor/react-flow';
import { BlockedEdge } from './blocked-edge';
import { useEditor, useEditorStore } from './editor-context';
import { FlowNodeComponent } from './flow-node';
import { whenIdle } from './when-idle';

export const PALETTE_MIME = 'application/x-optline-node';

const nodeTypes: NodeTypes = Object.fromEntries(NODE_TYPES.map((t) => [t, FlowNodeComponent]));
const edgeTypes: EdgeTypes = { flow: BlockedEdge };
const NO_NODES: CanvasNode[] = [];
const NO_EDGES: CanvasEdge[] = [];
// React Flow copies a changed option into its store, which re-runs every drawn element's selectors:
// options made once, not per render (the canvas renders on every frame of a drag).
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1 };
const PRO_OPTIONS = { hideAttribution: true };
const DELETE_KEYS = ['Backspace', 'Delete'];
const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];
// The overview stays small (at 1024 px wide the canvas is about 550 px) and can be hidden.
const MINIMAP_STYLE = { width: 150, height: 100 };

/** The React Flow canvas bound to the editor store: every edit goes through a typed change. */
export function FlowCanvas() {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const dragging = useEditor((s) => s.dragging);
  const measured = useEditor((s) => s.measured);
  const { screenToFlowPosition, setViewport } = useReactFlow();
  const toNodes = useMemo(createNodeConverter, []);
  const toEdges = useMemo(createEdgeConverter, []);
  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);
  const big = doc.nodes.length > 300;
  const nodes = useMemo(
    () => toNodes(doc, { selected: selectedNodes, dragging, measured, estimate: big }),
    [toNodes, doc, selectedNodes, dragging, measured, big],
  );
  const edges = useMemo(() => toEdges(doc, selectedEdges), [toEdges, doc, selectedEdges]);
  // React Flow copies each prop it tracks (handlers, zoom limits, options) into its store in an
  // update of its own, and each update re-runs the selectors of what is drawn, two of which walk
  // every step and connection. The steps come one commit (before the first paint) after the rest,
  // so those dozen updates find an empty canvas instead of walking 1,000 steps and 1,500 connections each.
  const [started, setStarted] = useState(false);
  useLayoutEffect(() => setStarted(true), []);
  // A big flow's overview draws every step: it comes once the canvas is up and the browser is idle.
  const [overview, setOverview] = useState(!big);
  useEffect(() => {
    if (overview) return;
    return whenIdle(() => setOverview(true));
  }, [overview]);
  // The overview can be hidden (a narrow window); the choice lasts while the editor is open.
  const [overviewHidden, setOverviewHidden] = useState(false);
  const flowStore = useStoreApi<CanvasNode, CanvasEdge>();
  // A big flow opens on its first steps at a readable zoom (fitting all of it
  // would draw every step too small to read); Fit view shows the whole.
  const onInit = useCallback(() => {
    if (!big) return;
    const start = store.getState().doc.nodes.find((n) => n.type === 'trigger') ?? store.getState().doc.nodes[0];
    const at = start?.position ?? { x: 0, y: 0 };
    const zoom = 0.8;
    void setViewport({ x: flowStore.getState().width / 2 - (at.x + 120) * zoom, y: 40 - at.y * zoom, zoom });
  }, [big, store, flowStore, setViewport]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const s = store.getState();
      let drag: Record<string, XY> | null = s.dragging;
      let dragEnded = false;
      const sizes: Record<string, { width: number; height: number }> = {};
      let selected: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'position') {
          if (c.dragging) {
            if (c.position) drag = { ...(drag ?? {}), [c.id]: c.position };
          } else {
            if (c.position) drag = { ...(drag ?? {}), [c.id]: c.position };
            dragEnded = true;
          }
        } else if (c.type === 'dimensions' && c.dimensions) {
          const prev = s.measured[c.id];
          if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) sizes[c.id] = c.dimensions;
        } else if (c.type === 'select') {
          selected ??= new Set(s.selection.nodes);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
      }
      if (Object.keys(sizes).length > 0) s.measure(sizes);
      if (selected) s.select({ nodes: [...selected] });
      if (dragEnded) {
        if (drag) s.apply({ type: 'move', positions: drag });
        s.drag(null);
      } else if (drag !== s.dragging) s.drag(drag);
    },
    [store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      const s = store.getState();
      let selected: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'select') {
          selected ??= new Set(s.selection.edges);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
      }
      if (selected) s.select({ edges: [...selected] });
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle) return;
      store.getState().apply({ type: 'connect', connection: { source: c.source, sourceHandle: c.sourceHandle, target: c.target } });
    },
    [store],
  );

  const isValidConnection = useCallback(
    (c: Connection | CanvasEdge) =>
      connectionRefusal(store.getState().doc, { source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target }) === null,
    [store],
  );

  // A refused drop says why, instead of silently doing nothing.
  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode || !state.toNode) return;
      const fromSource = state.fromHandle?.type === 'source';
      const request = fromSource
        ? { source: state.fromNode.id, sourceHandle: state.fromHandle?.id ?? '', target: state.toNode.id }
        : { source: state.toNode.id, sourceHandle: state.toHandle?.id ?? '', target: state.fromNode.id };
      const refusal = connectionRefusal(store.getState().doc, request);
      if (refusal) store.getState().showHint(refusal);
    },
    [store],
  );

  const onDelete = useCallback(
    ({ nodes: n, edges: e }: { nodes: CanvasNode[]; edges: CanvasEdge[] }) => {
      store.getState().apply({ type: 'remove', nodeIds: n.map((x) => x.id), edgeIds: e.map((x) => x.id) });
    },
    [store],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_MIME) as NodeType;
      if (!(NODE_TYPES as readonly string[]).includes(type)) return;
      event.preventDefault();
      const p = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      store.getState().addNode(type, { x: Math.round(p.x - 120), y: Math.round(p.y - 30) });
    },
    [store, screenToFlowPosition],
  );

  return (
    <ReactFlow<CanvasNode, CanvasEdge>
      nodes={started ? nodes : NO_NODES}
      edges={started ? edges : NO_EDGES}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onConnect={onConnect}
      onConnectEnd={onConnectEnd}
      isValidConnection={isValidConnection}
      onDelete={onDelete}
      onDrop={onDrop}
      onDragOver={onDragOver}
      deleteKeyCode={DELETE_KEYS}
      multiSelectionKeyCode={MULTI_SELECTION_KEYS}
      onInit={onInit}
      fitView={!big}
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.05}
      maxZoom={2}
      onlyRenderVisibleElements={big}
      proOptions={PRO_OPTIONS}
      aria-label="Flow canvas"
    >
      <Background gap={20} size={1} />
      {overview && !overviewHidden && (
        <MiniMap pannable zoomable ariaLabel="Overview of the flow" nodeStrokeWidth={3} style={MINIMAP_STYLE} />
      )}
      <Controls aria-label="Zoom controls">
        <ControlButton
          onClick={() => setOverviewHidden((h) => !h)}
          aria-label={overviewHidden ? 'Show the overview' : 'Hide the overview'}
          title={overviewHidden ? 'Show the overview' : 'Hide the overview'}
          aria-pressed={!overviewHidden}
          data-testid="toggle-overview"
        >
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <rect x="1.5" y="3.5" width="13" height="9" rx="1" fill="none" stroke="currentColor" />
            <rect x="8" y="7" width="5" height="4" fill="currentColor" />
          </svg>
        </ControlButton>
      </Controls>
    </ReactFlow>
  );
}
