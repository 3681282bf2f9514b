'use client';

import { useMemo } from 'react';
import { NODE_CATALOG } from '../../lib/flow/catalog';
import { formatPath } from '../../lib/flow/problem';
import { nodeSchema, type FlowDocument, type FlowNode } from '../../lib/flow/schema';
import { safeOutputs } from '../../lib/editor/connection';
import { flowVariables } from '../../lib/editor/variables';
import { Field } from '../ui/field';
import { useEditor, useEditorStore, useLint } from './editor-context';
import { SelectField, TextField } from './form-controls';
import { NodeForm, type FieldErrors } from './node-form';
import { NodeIcon } from './node-icon';

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

/** Schema errors of one node, by the path inside its data. */
function nodeFieldErrors(node: FlowNode): FieldErrors {
  const parsed = nodeSchema.safeParse(node);
  const out = new Map<string, string[]>();
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    const [first, ...rest] = issue.path;
    const key = first === 'data' ? formatPath(rest) : formatPath(issue.path);
    const list = out.get(key) ?? [];
    list.push(issue.message);
    out.set(key, list);
  }
  return out;
}

function NodeInspector({ node, doc }: { node: FlowNode; doc: FlowDocument }) {
  const store = useEditorStore();
  const lint = useLint();
  const index = doc.nodes.indexOf(node);
  const errors = useMemo(() => nodeFieldErrors(node), [node]);
  const variables = useMemo(() => flowVariables(doc), [doc]);
  const analysis = lint.problems.filter((p) => p.nodeId === node.id && p.rule !== 'schema');
  const catalog = NODE_CATALOG[node.type];
  const outputs = safeOutputs(node);
  const targets = doc.nodes.filter((n) => n.id !== node.id && n.type !== 'trigger');
  const onChange = (data: unknown, field: string) =>
    store.getState().apply({ type: 'update-data', nodeId: node.id, data }, { coalesceKey: `${node.id}.${field}` });

  return (
    <section className="inspector" aria-labelledby="inspector-title">
      <header className="inspector-head">
        <span className="flow-node-icon" data-node-type={node.type}>
          <NodeIcon type={node.type} />
        </span>
        <div>
          <h2 id="inspector-title" className="panel-title">
            {catalog.title}
          </h2>
          <p className="muted">
            <code>{node.id}</code> · <code>nodes[{index}]</code>
          </p>
        </div>
      </header>
      <p className="panel-hint">{catalog.note}</p>
      <TextField
        label="Label on the canvas"
        value={node.label ?? ''}
        placeholder={catalog.title}
        onChange={(v) => store.getState().apply({ type: 'update-label', nodeId: node.id, label: v || undefined }, { coalesceKey: `${node.id}.label` })}
        errors={errors.get('label')}
      />
      <NodeForm node={node} errors={errors} variables={variables} onChange={onChange} />
      {errors.size > 0 && (
        <div className="inline-problems" role="alert">
          <h3>To fix</h3>
          <ul>
            {[...errors].map(([path, messages]) => (
              <li key={path} className="error">
                <code>nodes[{index}].data{path === '(document)' ? '' : path.startsWith('[') ? path : `.${path}`}</code>: {messages.join(' · ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {analysis.length > 0 && (
        <div className="inline-problems">
          <h3>Compliance</h3>
          <ul>
            {analysis.map((p, i) => (
              <li key={i} className={p.severity}>
                {p.message} <span className="muted">[{p.rule}]</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {outputs.length > 0 && (
        <fieldset className="field">
          <legend className="field-label">Outputs lead to</legend>
          {outputs.map((output) => {
            const edge = doc.edges.find((e) => e.source === node.id && e.sourceHandle === output);
            return (
              <SelectField
                key={output}
                label={`"${output}" goes to`}
                value={edge?.target ?? ''}
                options={[['', 'Not connected (the run ends)'], ...targets.map((t) => [t.id, `${t.label ?? NODE_CATALOG[t.type].title} (${t.id})`] as const)]}
                testId={`output-${output}`}
                onChange={(target) =>
                  target
                    ? store.getState().apply({ type: 'connect', connection: { source: node.id, sourceHandle: output, target } })
                    : edge && store.getState().apply({ type: 'remove', edgeIds: [edge.id] })
                }
              />
            );
          })}
        </fieldset>
      )}
      <button type="button" className="btn btn-danger" onClick={() => store.getState().apply({ type: 'remove', nodeIds: [node.id] })}>
        Delete this step
      </button>
    </section>
  );
}

function EdgeInspector({ edgeId }: { edgeId: string }) {
  const store = useEditorStore();
  const lint = useLint();
  const doc = useEditor((s) => s.doc);
  const edge = doc.edges.find((e) => e.id === edgeId)!;
  const problems = lint.problems.filter((p) => p.edgeId === edgeId);
  const name = (id: string) => {
    const n = doc.nodes.find((x) => x.id === id);
    return n ? (n.label ?? NODE_CATALOG[n.type].title) : id;
  };
  return (
    <section className="inspector">
      <h2 className="panel-title">Connection</h2>
      <p>
        From <strong>{name(edge.source)}</strong> ({edge.sourceHandle}) to <strong>{name(edge.target)}</strong>. <code>{edge.id}</code>
      </p>
      {problems.length > 0 ? (
        <ul className="inline-problems">
          {problems.map((p, i) => (
            <li key={i} className={p.severity}>
              {p.message} <span className="muted">[{p.rule}]</span>
            </li>
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
      <TextField label="Name" value={doc.name} onChange={(v) => apply({ type: 'update-flow', name: v }, { coalesceKey: 'flow.name' })} errors={doc.name.trim() ? undefined : ['the flow needs a name']} testId="flow-name" />
      <Field label="Description">
        {(props) => (
          <textarea {...props} rows={2} value={doc.description ?? ''} onChange={(e) => apply({ type: 'update-flow', description: e.target.value }, { coalesceKey: 'flow.description' })} />
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
