import type { TemplateSummary } from '@/lib/flow/templates-catalog';
import { formatProblem } from '@/lib/flow/problem';
import { VerdictBadge } from './ui/verdict-badge';

/** One template in the list: name, what it does, and whether it passes the compliance analysis. */
export function TemplateCard({ template }: { template: TemplateSummary }) {
  const problems = [...template.errors, ...template.warnings];
  return (
    <article className="card" aria-labelledby={`t-${template.id}`}>
      <div className="card-head">
        <h3 id={`t-${template.id}`}>{template.name}</h3>
        <VerdictBadge errors={template.errors.length} warnings={template.warnings.length} />
      </div>
      <p>{template.description}</p>
      <p className="meta">
        <code>{template.id}</code> · {template.nodeCount} steps
      </p>
      {problems.length > 0 && (
        <ul className="problems">
          {problems.map((p, i) => (
            <li key={i} className={p.severity}>
              {formatProblem(p)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
