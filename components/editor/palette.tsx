'use client';

import type { DragEvent } from 'react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { NODE_TYPES } from '@/lib/flow/node-types';
import type { NodeType } from '@/lib/flow/schema';
import { PALETTE_MIME } from './flow-canvas';
import { NodeIcon } from './node-icon';

/**
 * Every node type: drag one onto the canvas, or press it (click, Enter or
 * Space) to add it below the selected step, connected from its first free output.
 */
export function Palette({ onAdd, hasTrigger }: { onAdd: (type: NodeType) => void; hasTrigger: boolean }) {
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="palette" aria-label="Steps you can add">
      <h2 className="panel-title">Add a step</h2>
      <p className="panel-hint">Drag onto the canvas, or press to add below the selected step.</p>
      <ul>
        {NODE_TYPES.map((type) => {
          const disabled = type === 'trigger' && hasTrigger;
          return (
            <li key={type}>
              <button
                type="button"
                className="palette-item"
                draggable={!disabled}
                disabled={disabled}
                onDragStart={(e) => onDragStart(e, type)}
                onClick={() => onAdd(type)}
                title={disabled ? 'A flow has one Start step' : NODE_CATALOG[type].note}
                data-testid={`palette-${type}`}
                data-node-type={type}
              >
                <span className="flow-node-icon" data-node-type={type}>
                  <NodeIcon type={type} size={16} />
                </span>
                {NODE_CATALOG[type].title}
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
