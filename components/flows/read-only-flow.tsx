import Link from 'next/link';
import type { FlowDocument } from '@/lib/flow/schema';
import type { DraftCheck, FlowSummary } from '@/lib/flows';
import { FlowView } from '@/components/flow-canvas/flow-view';
import { ProblemSentences } from '@/components/review/problem-sentences';
import { VerdictBadge } from '@/components/ui/verdict-badge';

/**
 * A flow as a role that does not edit flows sees it (a reviewer, a
 * developer): the canvas to look at, the saved draft's compliance findings,
 * its versions, and the export for those who may transfer flows. No editing
 * controls: the API would refuse them anyway.
 */
export function ReadOnlyFlow({
  flow,
  draft,
  check,
  role,
  canExport,
}: {
  flow: FlowSummary;
  draft: FlowDocument;
  check: DraftCheck;
  role: string;
  canExport: boolean;
}) {
  const id = encodeURIComponent(flow.id);
  return (
    <main className="page">
      <header className="page-header">
        <p>
          <Link href="/flows">← All flows</Link>
        </p>
        <h1>{flow.name}</h1>
        <p className="notice" data-testid="read-only-notice">
          Read only: the {role} role looks at flows and their versions; editors change them.
        </p>
        <p>
          <Link href={`/flows/${id}/versions`} className="btn btn-primary">
            Versions and review
          </Link>{' '}
          {canExport && (
            <a href={`/api/flows/${id}/export`} className="btn" download>
              Export JSON
            </a>
          )}
        </p>
      </header>
      <section aria-labelledby="draft-check-heading">
        <h2 id="draft-check-heading">
          The saved draft <VerdictBadge errors={check.errors.length} warnings={check.warnings.length} />
        </h2>
        <ProblemSentences problems={check.errors} label="Errors in the saved draft" />
        <ProblemSentences problems={check.warnings} label="Warnings in the saved draft" />
      </section>
      <FlowView doc={draft} label={`Flow ${flow.name}`} height={560} />
    </main>
  );
}
