'use client';

import {
  Background,
  Controls,
  Handle,
  MiniMap,
  Position,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
  type Node,
  type NodeProps,
  type NodeTypes,
} from '@xyflow/react';
import { memo, useMemo } from 'react';
import { safeOutputs } from '@/lib/editor/connection';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import type { FlowDocument, FlowNode } from '@/lib/flow/schema';
import { NodeIcon } from '@/components/editor/node-icon';
import { NodeSummary } from '@/components/editor/node-summary';
import styles from './flow-view.module.css';

/**
 * How a node or edge is marked on a read-only canvas: the review's visual diff
 * (added, removed, changed) and the run inspector's path (visited, current).
 */
export type Tone = 'added' | 'removed' | 'changed' | 'visited' | 'current';

export const TONE_LABEL: Record<Tone, string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  visited: 'on the path taken',
  current: 'where the run is now',
};

type ViewNode = Node<{ node: FlowNode; tone?: Tone }>;

function ViewNodeCard({ data }: NodeProps<ViewNode>) {
  const { node, tone } = data;
  const catalog = NODE_CATALOG[node.type];
  return (
    <div
      className={`flow-node ${styles.node} ${tone ? styles[tone] : ''}`}
      data-node-type={node.type}
      data-testid={`view-node-${node.id}`}
      data-tone={tone ?? 'none'}
    >
      {node.type !== 'trigger' && <Handle type="target" position={Position.Top} className="handle-in" isConnectable={false} />}
      <div className="flow-node-head">
        <span className="flow-node-icon">
          <NodeIcon type={node.type} />
        </span>
        <span className="flow-node-title">{node.label ?? catalog.title}</span>
        {tone && <span className={styles.toneTag}>{TONE_LABEL[tone]}</span>}
      </div>
      <div className="flow-node-kind">
        {catalog.title} · <code>{node.id}</code>
      </div>
      <div className="flow-node-body">
        <NodeSummary node={node} />
      </div>
      {safeOutputs(node).length > 0 && (
        <div className="flow-node-outputs">
          {safeOutputs(node).map((output) => (
            <div className="flow-node-output" key={output}>
              <span>{output}</span>
              <Handle type="source" id={output} position={Position.Bottom} className="handle-out" isConnectable={false} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

const nodeTypes: NodeTypes = { view: memo(ViewNodeCard) };

export interface FlowViewProps {
  doc: FlowDocument;
  /** Marks by node id. */
  nodeTones?: Readonly<Record<string, Tone>>;
  /** Marks by edge id. */
  edgeTones?: Readonly<Record<string, Tone>>;
  /** Accessible name of the canvas. */
  label: string;
  height?: number;
}

const EDGE_COLOR: Record<Tone, string> = {
  added: '#15803d',
  removed: '#b91c1c',
  changed: '#b45309',
  visited: '#2563eb',
  current: '#1d4ed8',
};

/** A flow drawn read-only (no editing, no store): nodes and edges can carry a tone. */
export function FlowView({ doc, nodeTones = {}, edgeTones = {}, label, height = 520 }: FlowViewProps) {
  const nodes = useMemo<ViewNode[]>(
    () =>
      doc.nodes.map((node) => ({
        id: node.id,
        type: 'view',
        position: node.position ?? { x: 0, y: 0 },
        data: { node, ...(nodeTones[node.id] ? { tone: nodeTones[node.id] } : {}) },
        draggable: false,
        connectable: false,
        ariaLabel: `${NODE_CATALOG[node.type]?.title ?? node.type}: ${node.label ?? node.id}${nodeTones[node.id] ? ` (${TONE_LABEL[nodeTones[node.id]!]})` : ''}`,
      })),
    [doc, nodeTones],
  );
  const edges = useMemo<Edge[]>(
    () =>
      doc.edges.map((edge) => {
        const tone = edgeTones[edge.id];
        return {
          id: edge.id,
          source: edge.source,
          sourceHandle: edge.sourceHandle,
          target: edge.target,
          animated: tone === 'current',
          ...(tone
            ? {
                style: { stroke: EDGE_COLOR[tone], strokeWidth: 2.5, ...(tone === 'removed' ? { strokeDasharray: '6 4' } : {}) },
                ariaLabel: `Connection ${edge.id} (${TONE_LABEL[tone]})`,
              }
            : { ariaLabel: `Connection ${edge.id}` }),
          data: { tone: tone ?? 'none' },
        };
      }),
    [doc, edgeTones],
  );
  return (
    <div className={styles.frame} style={{ height }} role="region" aria-label={label}>
      <ReactFlowProvider>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesFocusable={false}
          fitView
          minZoom={0.1}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
          <MiniMap
            pannable
            zoomable
            nodeColor={(n) => ((n.data as { tone?: Tone }).tone ? EDGE_COLOR[(n.data as { tone: Tone }).tone] : '#cbd5e1')}
          />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
