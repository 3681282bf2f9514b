import { TEMPLATES } from '@/workflows/index';
import { analyzeFlow } from './analyze/index';
import { parseFlow } from './parse';
import type { Problem } from './problem';

/** A built-in template with the analyzer's verdict, as the template list shows it. */
export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  nodeCount: number;
  errors: Problem[];
  warnings: Problem[];
}

/** Validates and analyzes every built-in template. */
export function loadTemplates(): TemplateSummary[] {
  return TEMPLATES.map((raw) => {
    const parsed = parseFlow(raw);
    const doc = raw as { id?: string; name?: string; description?: string; nodes?: unknown[] };
    const problems = parsed.ok ? analyzeFlow(parsed.flow).problems : parsed.problems;
    return {
      id: doc.id ?? '(no id)',
      name: doc.name ?? '(no name)',
      description: doc.description ?? '',
      nodeCount: doc.nodes?.length ?? 0,
      errors: problems.filter((p) => p.severity === 'error'),
      warnings: problems.filter((p) => p.severity === 'warning'),
    };
  });
}
