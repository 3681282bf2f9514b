import type { Problem } from '@/lib/flow/problem';

/** A flow's problems as an error's details: each with a path, or the step or connection it is about. */
export function problemDetails(problems: readonly Problem[]): { path: string; message: string }[] {
  return problems.map((p) => ({
    path: p.path ?? (p.edgeId ? `edge ${p.edgeId}` : p.nodeId ? `node ${p.nodeId}` : '(document)'),
    message: p.message,
  }));
}
