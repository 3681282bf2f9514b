'use client';

import { useMemo } from 'react';
import { NODE_CATALOG } from '@/lib/flow/catalog';
import { formatPath } from '@/lib/flow/problem';
import { describeProblems } from '@/lib/flow/problem-text';
import { nodeSchema, type FlowDocument, type FlowNode } from '@/lib/flow/schema';
import { safeOutputs } from '@/lib/editor/connection';
import { flowVariables } from '@/lib/editor/variables';
import { useEditorStore, useLint } from './editor-context';
import { SelectField, TextField } from './form-controls';
import type { Renamed } from './branch-cases';
import { NodeForm, type FieldErrors } from './node-form';
import { NodeIcon } from './node-icon';
import { ProblemLine } from './problem-line';

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

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The Inspect tab for one step: its label, its form with inline errors, its compliance problems and where its outputs lead. */
export function NodeInspector({ node, doc }: { node: FlowNode; doc: FlowDocument }) {
  const store = useEditorStore();
  const lint = useLint();
  const index = doc.nodes.indexOf(node);
  const errors = useMemo(() => nodeFieldErrors(node), [node]);
  const variables = useMemo(() => flowVariables(doc), [doc]);
  const analysis = useMemo(
    () =>
      describeProblems(
        doc,
        lint.problems.filter((p) => p.nodeId === node.id && p.rule !== 'schema'),
      ),
    [doc, lint.problems, node.id],
  );
  const catalog = NODE_CATALOG[node.type];
  const outputs = safeOutputs(node);
  const targets = doc.nodes.filter((n) => n.id !== node.id && n.type !== 'trigger');
  const onChange = (data: unknown, field: string, renamed?: Renamed) =>
    store
      .getState()
      .apply({ type: 'update-data', nodeId: node.id, data, ...(renamed ? { renamed } : {}) }, { coalesceKey: `${node.id}.${field}` });

  return (
    <section className="inspector" aria-labelledby="inspector-title">
      <header className="inspector-head">
        <span className="flow-node-icon" data-node-type={node.type}>
          <NodeIcon type={node.type} />
        </span>
        <div>
          <h2 id="inspector-title" className="panel-title" tabIndex={-1}>
            {catalog.action}
          </h2>
        </div>
      </header>
      <p className="panel-hint">{catalog.note}</p>
      <details className="problem-details">
        <summary>Details</summary>
        <code>
          step id {node.id} · path nodes[{index}] · type {node.type}
        </code>
      </details>
      <TextField
        label="Label on the canvas"
        value={node.label ?? ''}
        placeholder={catalog.title}
        onChange={(v) =>
          store.getState().apply({ type: 'update-label', nodeId: node.id, label: v || undefined }, { coalesceKey: `${node.id}.label` })
        }
        errors={errors.get('label')}
      />
      <NodeForm node={node} errors={errors} variables={variables} onChange={onChange} />
      {errors.size > 0 && (
        <div className="inline-problems" role="alert">
          <h3>To fix</h3>
          <ul>
            {[...errors].map(([path, messages]) => (
              <ProblemLine
                key={path}
                text={{
                  sentence: capitalize(messages.join('; ')),
                  severity: 'error',
                  details: `rule schema · step id ${node.id} · path nodes[${index}].data${path === '(document)' ? '' : path.startsWith('[') ? path : `.${path}`}`,
                }}
              />
            ))}
          </ul>
        </div>
      )}
      {analysis.length > 0 && (
        <div className="inline-problems">
          <h3>Compliance</h3>
          <ul>
            {analysis.map((p, i) => (
              <ProblemLine key={i} text={p} />
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
                options={[
                  ['', 'Not connected (the run ends)'],
                  ...targets.map((t) => [t.id, `${t.label ?? NODE_CATALOG[t.type].title} (${t.id})`] as const),
                ]}
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
