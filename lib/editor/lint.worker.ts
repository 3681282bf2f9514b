/**
 * The editor's analysis worker: checks each document the editor sends with
 * the same lintFlow the page would run, and answers with the result (its Maps
 * and plain problems travel by structured clone).
 */
import { answerLint } from './lint-answer';
import type { LintRequest, LintResponse } from './lint-client';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LintRequest>) => void) | null;
  postMessage(message: LintResponse): void;
};

scope.onmessage = (event) => scope.postMessage(answerLint(event.data));
