/** Rule ids the analyzer reports (COMPLIANCE.md, "Static rules"), plus `schema` for an invalid document. */
export type RuleId =
  | 'schema'
  | 'consent-required'
  | 'quiet-hours'
  | 'verify-before-pay'
  | 'optin-disclosures'
  | 'no-card-data'
  | 'send-loop'
  | 'busy-loop'
  | 'frequency-cap'
  | 'sender-id'
  | 'segments'
  | 'unreachable-node'
  | 'unconnected-output'
  | 'keyword-case'
  | 'shadowed-case';

/**
 * One finding about a flow. An error with an `edgeId` blocks that edge; the
 * message says why in words a marketer can read. `path` is a JSON path into
 * the document (`nodes[3].data.timeout`) for schema errors and field findings.
 */
export interface Problem {
  rule: RuleId;
  severity: 'error' | 'warning';
  message: string;
  nodeId?: string;
  edgeId?: string;
  path?: string;
}

/** A JSON path like `nodes[3].data.timeout` from path segments. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out || '(document)';
}

/** `path: message`, the one-line form used by the CLI and the import dialog. */
export function formatProblem(p: Problem): string {
  const where = p.path ?? (p.edgeId ? `edge ${p.edgeId}` : p.nodeId ? `node ${p.nodeId}` : '');
  return `${p.severity}${where ? ` ${where}` : ''}: ${p.message} [${p.rule}]`;
}

/** Whether any problem is an error. */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
