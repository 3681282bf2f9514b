'use client';

import { useId, useState, type DragEvent } from 'react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { NODE_TYPES } from '@/lib/flow/node-types';
import type { NodeType } from '@/lib/flow/schema';
import { searchSteps } from '@/lib/editor/palette-search';
import { PALETTE_MIME } from './flow-canvas';
import { NodeIcon } from './node-icon';

/**
 * Every node type, named by what it does for the marketer and described in a
 * line, with a search box (by name, description and other words: "wait",
 * "reply"). Drag one onto the canvas, or press it (click, Enter or Space) to
 * add it below the selected step, connected from its first free output; Enter
 * in the search box adds the first step found.
 */
export function Palette({ onAdd, hasTrigger }: { onAdd: (type: NodeType) => void; hasTrigger: boolean }) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const found = searchSteps(NODE_TYPES, query);
  const onDragStart = (event: DragEvent, type: NodeType) => {
    event.dataTransfer.setData(PALETTE_MIME, type);
    event.dataTransfer.effectAllowed = 'copy';
  };
  const addable = (type: NodeType) => !(type === 'trigger' && hasTrigger);
  return (
    <nav className="palette" aria-label="Steps you can add">
      <h2 className="panel-title">Add a step</h2>
      <p className="panel-hint">Drag onto the canvas, or press to add below the selected step.</p>
      <label className="visually-hidden" htmlFor={searchId}>
        Search steps
      </label>
      <input
        id={searchId}
        type="search"
        className="palette-search"
        placeholder="Search: wait, reply, pay…"
        value={query}
        maxLength={80}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          const first = found.find(addable);
          if (first) onAdd(first);
        }}
        data-testid="palette-search"
      />
      {found.length === 0 && (
        <p className="panel-hint" role="status">
          No step matches “{query.trim()}”.
        </p>
      )}
      <ul>
        {found.map((type) => {
          const disabled = !addable(type);
          const entry = NODE_CATALOG[type];
          return (
            <li key={type}>
              <button
                type="button"
                className="palette-item"
                draggable={!disabled}
                disabled={disabled}
                onDragStart={(e) => onDragStart(e, type)}
                onClick={() => onAdd(type)}
                title={disabled ? 'A flow has one Start step' : entry.note}
                aria-label={entry.action}
                aria-describedby={`${searchId}-${type}`}
                data-testid={`palette-${type}`}
                data-node-type={type}
              >
                <span className="flow-node-icon" data-node-type={type}>
                  <NodeIcon type={type} size={16} />
                </span>
                <span className="palette-text">
                  <span className="palette-name">{entry.action}</span>
                  <span className="palette-note" id={`${searchId}-${type}`}>
                    {disabled ? 'A flow has one Start step.' : entry.note}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
