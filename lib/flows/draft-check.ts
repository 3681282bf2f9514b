import { analysisReport } from '@/lib/flow/analysis-report';
import { parseFlow } from '@/lib/flow/parse';
import { describeProblems, type ProblemText } from '@/lib/flow/problem-text';

/** What submitting a draft would meet: its errors (which refuse the submission) and warnings (which the reviewer acknowledges), in plain words. */
export interface DraftCheck {
  errors: ProblemText[];
  warnings: ProblemText[];
}

/** Checks a saved draft as `versionService.submit` will: the schema and structure first, then the analyzer. */
export function draftCheck(draft: unknown): DraftCheck {
  const parsed = parseFlow(draft);
  if (!parsed.ok) return { errors: describeProblems({ nodes: [], edges: [] }, parsed.problems), warnings: [] };
  const report = analysisReport(parsed.flow);
  return { errors: describeProblems(parsed.flow, report.errors), warnings: describeProblems(parsed.flow, report.warnings) };
}
