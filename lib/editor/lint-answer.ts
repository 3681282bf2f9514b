import { lintFindings } from './lint';
import type { LintRequest, LintResponse } from './lint-client';

/** The worker's answer to one request: what the analysis found, or the error that stopped it (the editor then checks on the page). */
export function answerLint(request: LintRequest): LintResponse {
  try {
    return { id: request.id, findings: lintFindings(request.doc) };
  } catch (err) {
    return { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
}
