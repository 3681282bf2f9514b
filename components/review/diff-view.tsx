'use client';

import { useMemo } from 'react';
import type { FlowDiff } from '@/lib/flow/diff';
import type { FlowDocument } from '@/lib/flow/schema';
import { FlowView, type Tone } from '@/components/flow-canvas/flow-view';
import styles from './review.module.css';

/**
 * The visual diff: the new version drawn with what it adds (green), changes
 * (amber) and, from the version before, what it removes (red, dashed).
 */
export function DiffView({ after, before, diff }: { after: FlowDocument; before: FlowDocument | null; diff: FlowDiff }) {
  const { doc, nodeTones, edgeTones } = useMemo(() => {
    const removedNodes = new Set(diff.nodes.removed);
    const removedEdges = new Set(diff.edges.removed);
    const union: FlowDocument = {
      ...after,
      nodes: [...after.nodes, ...(before?.nodes.filter((n) => removedNodes.has(n.id)) ?? [])],
      edges: [...after.edges, ...(before?.edges.filter((e) => removedEdges.has(e.id)) ?? [])],
    };
    const nodes: Record<string, Tone> = {};
    const edges: Record<string, Tone> = {};
    for (const id of diff.nodes.added) nodes[id] = 'added';
    for (const id of diff.nodes.removed) nodes[id] = 'removed';
    for (const c of diff.nodes.changed) nodes[c.id] = 'changed';
    for (const id of diff.edges.added) edges[id] = 'added';
    for (const id of diff.edges.removed) edges[id] = 'removed';
    for (const c of diff.edges.changed) edges[c.id] = 'changed';
    return { doc: union, nodeTones: nodes, edgeTones: edges };
  }, [after, before, diff]);

  return (
    <div>
      <p className={styles.legend} aria-label="Legend">
        <span style={{ color: '#15803d' }}>■ added</span>
        <span style={{ color: '#b45309' }}>■ changed</span>
        <span style={{ color: '#b91c1c' }}>■ removed</span>
        {diff.nodes.moved.length > 0 && <span className="muted">{diff.nodes.moved.length} moved only (layout)</span>}
      </p>
      <FlowView doc={doc} nodeTones={nodeTones} edgeTones={edgeTones} label="Changes drawn on the flow" height={460} />
    </div>
  );
}
