'use client';

import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { safeOutputs } from '@/lib/editor/connection';
import type { CanvasNode } from '@/lib/editor/react-flow';
import { useIsSimulationAt, useNodeProblems } from './editor-context';
import { NodeIcon } from './node-icon';
import { NodeSummary } from './node-summary';

/** A step on the canvas: icon, title, its key data, a badge when it has problems, and one labelled handle per output. */
function FlowNodeCard({ id, data, selected }: NodeProps<CanvasNode>) {
  const node = data.node;
  const counts = useNodeProblems(id);
  const active = useIsSimulationAt(id);
  const outputs = safeOutputs(node);
  const catalog = NODE_CATALOG[node.type];
  useHandlesFollow(id, outputs);
  return (
    <div
      className={`flow-node${selected ? ' selected' : ''}${active ? ' sim-active' : ''}${counts?.errors ? ' has-errors' : ''}`}
      data-node-type={node.type}
      data-testid={`node-${id}`}
    >
      {node.type !== 'trigger' && (
        <Handle type="target" position={Position.Top} className="handle-in" aria-label={`Into ${node.label ?? id}`} />
      )}
      <div className="flow-node-head">
        <span className="flow-node-icon">
          <NodeIcon type={node.type} />
        </span>
        <span className="flow-node-title">{node.label ?? catalog.title}</span>
        {counts && (
          <span
            className={`node-badge ${counts.errors ? 'error' : 'warning'}`}
            title={counts.first}
            aria-label={`${counts.errors} error${counts.errors === 1 ? '' : 's'}, ${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}: ${counts.first}`}
          >
            {counts.errors || counts.warnings}
          </span>
        )}
      </div>
      <div className="flow-node-kind">{catalog.title}</div>
      <div className="flow-node-body">
        <NodeSummary node={node} />
      </div>
      {outputs.length > 0 && (
        <div className="flow-node-outputs">
          {outputs.map((output) => (
            <div className="flow-node-output" key={output}>
              <span>{output}</span>
              <Handle
                type="source"
                id={output}
                position={Position.Bottom}
                className="handle-out"
                aria-label={`Output ${output} of ${node.label ?? id}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * React Flow learns a step's handles when it measures the step; a Branch case
 * added, renamed or moved changes the handles without changing the size, and
 * a drag from the new handle would find nothing. So when the outputs change
 * (not on the first render: React Flow measures a new step itself), React Flow
 * is told to measure this step's handles again. `useUpdateNodeInternals` reads
 * React Flow's store without subscribing: no step re-renders for it.
 */
function useHandlesFollow(id: string, outputs: readonly string[]): void {
  const updateNodeInternals = useUpdateNodeInternals();
  const key = outputs.join('\n');
  const seen = useRef(key);
  useEffect(() => {
    if (seen.current === key) return;
    seen.current = key;
    updateNodeInternals(id);
  }, [id, key, updateNodeInternals]);
}

export const FlowNodeComponent = memo(FlowNodeCard);
