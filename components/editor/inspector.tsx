'use client';

import dynamic from 'next/dynamic';
import { useMemo } from 'react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { describeProblems } from '@/lib/flow/problem-text';
import type { FlowDocument } from '@/lib/flow/schema';
import { Field } from '@/components/ui/field';
import { useEditor, useEditorStore, useLint } from './editor-context';
import { SelectField, TextField } from './form-controls';
import { ProblemLine } from './problem-line';

// A step's form carries the schema's validators and the template parser: it
// loads when a step is first selected, so opening the editor does not wait for it.
const NodeInspector = dynamic(() => import('./node-inspector').then((m) => m.NodeInspector), {
  ssr: false,
  loading: () => <p className="panel-hint">Opening the step…</p>,
});

/** The side panel's Inspect tab: the selected step's form, the selected connection, or the flow's settings. */
export function Inspector() {
  const selection = useEditor((s) => s.selection);
  const doc = useEditor((s) => s.doc);
  if (selection.nodes.length === 1) {
    const node = doc.nodes.find((n) => n.id === selection.nodes[0]);
    if (node) return <NodeInspector key={node.id} node={node} doc={doc} />;
  }
  if (selection.nodes.length > 1) {
    return (
      <section className="inspector">
        <h2 className="panel-title">{selection.nodes.length} steps selected</h2>
        <p className="panel-hint">Press Delete to remove them, Ctrl+C / Ctrl+V to copy them, or drag to move them together.</p>
      </section>
    );
  }
  if (selection.edges.length === 1) {
    const edge = doc.edges.find((e) => e.id === selection.edges[0]);
    if (edge) return <EdgeInspector edgeId={edge.id} />;
  }
  return <FlowSettings doc={doc} />;
}

function EdgeInspector({ edgeId }: { edgeId: string }) {
  const store = useEditorStore();
  const lint = useLint();
  const doc = useEditor((s) => s.doc);
  const edge = doc.edges.find((e) => e.id === edgeId)!;
  const problems = useMemo(
    () =>
      describeProblems(
        doc,
        lint.problems.filter((p) => p.edgeId === edgeId),
      ),
    [doc, lint.problems, edgeId],
  );
  const name = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n ? (n.label ?? NODE_CATALOG[n.type].title) : id;
  };
  return (
    <section className="inspector">
      <h2 className="panel-title">Connection</h2>
      <p>
        From <strong>{name(edge.source)}</strong> ({edge.sourceHandle}) to <strong>{name(edge.target)}</strong>.
      </p>
      <details className="problem-details">
        <summary>Details</summary>
        <code>
          edge id {edge.id} · from step id {edge.source} · to step id {edge.target}
        </code>
      </details>
      {problems.length > 0 ? (
        <ul className="inline-problems">
          {problems.map((p, i) => (
            <ProblemLine key={i} text={p} />
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing blocks this connection.</p>
      )}
      <button type="button" className="btn btn-danger" onClick={() => store.getState().apply({ type: 'remove', edgeIds: [edgeId] })}>
        Delete this connection
      </button>
    </section>
  );
}

function FlowSettings({ doc }: { doc: FlowDocument }) {
  const store = useEditorStore();
  const apply = store.getState().apply;
  return (
    <section className="inspector" aria-labelledby="settings-title">
      <h2 id="settings-title" className="panel-title">
        Flow settings
      </h2>
      <p className="panel-hint">Select a step to edit it. Add steps from the list on the left.</p>
      <TextField
        label="Name"
        value={doc.name}
        onChange={(v) => apply({ type: 'update-flow', name: v }, { coalesceKey: 'flow.name' })}
        errors={doc.name.trim() ? undefined : ['the flow needs a name']}
        testId="flow-name"
      />
      <Field label="Description">
        {(props) => (
          <textarea
            {...props}
            rows={2}
            value={doc.description ?? ''}
            onChange={(e) => apply({ type: 'update-flow', description: e.target.value }, { coalesceKey: 'flow.description' })}
          />
        )}
      </Field>
      <TextField
        label="Sender (brand)"
        value={doc.policy.brand}
        hint="Opt-in messages and first texts must name it."
        onChange={(v) => apply({ type: 'update-flow', policy: { ...doc.policy, brand: v } }, { coalesceKey: 'flow.brand' })}
        errors={doc.policy.brand.trim() ? undefined : ['name the sender (brand)']}
        testId="flow-brand"
      />
      <SelectField
        label="Quiet hours"
        value={doc.policy.quietHours ?? 'strictest'}
        options={[
          ['strictest', 'Strictest: federal and every state rule'],
          ['federal', 'Federal: 08:00–21:00 local time'],
        ]}
        onChange={(v) => apply({ type: 'update-flow', policy: { ...doc.policy, quietHours: v } })}
      />
      <p className="muted">
        Flow id <code>{doc.id}</code> · {doc.nodes.length} steps · {doc.edges.length} connections
      </p>
    </section>
  );
}
