'use client';

import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import { memo, useState } from 'react';
import type { CanvasEdge } from '@/lib/editor/react-flow';
import { useBlockingProblems, useIsSimulationAt } from './editor-context';

/**
 * A connection on the canvas. When the analyzer blocks it, it is drawn red and
 * dashed with a flag; hovering or clicking the flag (or selecting the edge)
 * shows the rule's message.
 */
function FlowEdgeView(props: EdgeProps<CanvasEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, source } = props;
  const problems = useBlockingProblems(id);
  const active = useIsSimulationAt(source);
  const [hover, setHover] = useState(false);
  const [pinned, setPinned] = useState(false);
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 10,
  });
  const blocked = problems !== undefined;
  const open = blocked && (hover || pinned || selected);
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        className={`flow-edge${blocked ? ' blocked' : ''}${selected ? ' selected' : ''}${active ? ' sim-active' : ''}`}
        interactionWidth={18}
      />
      {blocked && (
        <EdgeLabelRenderer>
          <div className="edge-flag-wrap nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            <button
              type="button"
              className="edge-flag"
              data-testid={`blocked-${id}`}
              aria-label={`Blocked connection: ${problems[0]!.message}`}
              aria-expanded={open}
              onMouseEnter={() => setHover(true)}
              onMouseLeave={() => setHover(false)}
              onFocus={() => setHover(true)}
              onBlur={() => setHover(false)}
              onClick={() => setPinned((p) => !p)}
            >
              !
            </button>
            {open && (
              <div className="edge-tooltip" role="tooltip">
                {problems.map((p, i) => (
                  <div key={i}>
                    <p>{p.message}</p>
                    <details className="problem-details">
                      <summary>Details</summary>
                      <code>
                        rule {p.rule} · edge id {id}
                      </code>
                    </details>
                  </div>
                ))}
              </div>
            )}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const BlockedEdge = memo(FlowEdgeView);
