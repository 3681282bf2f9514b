import Link from 'next/link';
import type { QueueItem } from '@/lib/flows';
import { LocalTime } from '@/components/ui/local-time';
import { VerdictBadge } from '@/components/ui/verdict-badge';

/** The review queue: submitted versions with their flow, author, when submitted and the analyzer's verdict, oldest first. */
export function ReviewQueue({
  awaiting,
  authored,
  people,
}: {
  awaiting: QueueItem[];
  authored: QueueItem[];
  people: Record<string, string>;
}) {
  return (
    <>
      <section aria-labelledby="awaiting-heading">
        <h2 id="awaiting-heading">Awaiting your decision ({awaiting.length})</h2>
        {awaiting.length === 0 ? (
          <p className="all-clear">Nothing to review: every submitted version has been decided.</p>
        ) : (
          <QueueTable items={awaiting} people={people} label="Awaiting your decision" />
        )}
      </section>
      {authored.length > 0 && (
        <section aria-labelledby="authored-heading">
          <h2 id="authored-heading">Yours, for another reviewer ({authored.length})</h2>
          <p className="muted">You wrote these versions (you submitted them or changed their draft): another reviewer must decide.</p>
          <QueueTable items={authored} people={people} label="Yours, for another reviewer" />
        </section>
      )}
    </>
  );
}

function QueueTable({ items, people, label }: { items: QueueItem[]; people: Record<string, string>; label: string }) {
  const name = (id: string) => people[id] ?? id;
  return (
    <table className="table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Flow</th>
          <th scope="col">Version</th>
          <th scope="col">Author</th>
          <th scope="col">Submitted</th>
          <th scope="col">Analyzer</th>
        </tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.versionId}>
            <td>{i.flowName}</td>
            <td>
              <Link href={`/flows/${encodeURIComponent(i.flowId)}/versions/${i.versionId}`}>Review version {i.version}</Link>
            </td>
            <td title={`Authors: ${i.authors.map(name).join(', ')}`}>{name(i.submittedBy)}</td>
            <td>
              <LocalTime iso={i.submittedAt} />
            </td>
            <td>
              {'invalid' in i.verdict ? (
                <span className="badge badge-error">Not a valid flow</span>
              ) : (
                <VerdictBadge errors={i.verdict.errors} warnings={i.verdict.warnings} />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
