'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { DraftCheck, PublicVersion } from '@/lib/flows';
import { callApi, type ApiError } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import { ProblemSentences } from './problem-sentences';
import styles from './review.module.css';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * A flow's versions, newest first, and "Submit for review" (freezes the saved
 * draft as a version). The saved draft's problems are shown before submitting:
 * errors refuse it (the server refuses it too), warnings ask for confirmation.
 */
export function VersionsPanel({
  flowId,
  initial,
  people,
  canSubmit,
  check,
}: {
  flowId: string;
  initial: PublicVersion[];
  people: Record<string, string>;
  canSubmit: boolean;
  /** What submitting the saved draft meets, checked when the page was rendered. */
  check: DraftCheck;
}) {
  const [versions, setVersions] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const errors = check.errors.length;
  const warnings = check.warnings.length;
  const blocked =
    errors > 0
      ? `Fix the ${plural(errors, 'compliance error')} below in the editor first: a version with errors can never be approved.`
      : null;

  async function submit() {
    setConfirming(false);
    setBusy(true);
    setError(null);
    const res = await callApi<{ version: PublicVersion; outcome: string; message: string }>(
      `/api/flows/${encodeURIComponent(flowId)}/versions`,
      { method: 'POST', json: {} },
    );
    setBusy(false);
    if (!res.ok) return setError(res.error);
    setMessage(res.body.message);
    setVersions((vs) => [res.body.version, ...vs.filter((v) => v.id !== res.body.version.id)]);
  }

  const columns: Column<PublicVersion>[] = [
    {
      header: 'Version',
      cell: (v) => <Link href={`/flows/${encodeURIComponent(flowId)}/versions/${v.id}`}>Version {v.version}</Link>,
    },
    {
      header: 'Status',
      cell: (v) => (
        <span className={styles.status} data-status={v.status}>
          {v.status}
        </span>
      ),
    },
    { header: 'Submitted by', cell: (v) => people[v.createdBy] ?? v.createdBy },
    { header: 'When', cell: (v) => <LocalTime iso={v.createdAt} /> },
    { header: 'Content hash', cell: (v) => <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code> },
  ];

  return (
    <div>
      {canSubmit && (
        <section aria-labelledby="submit-heading">
          <h2 id="submit-heading">Submit the saved draft</h2>
          {errors === 0 && warnings === 0 && <p className="all-clear">No errors, no warnings: the saved draft is ready for review.</p>}
          <ProblemSentences problems={check.errors} label="Errors to fix before submitting" />
          <ProblemSentences problems={check.warnings} label="Warnings the reviewer will see" />
          <p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => (warnings > 0 ? setConfirming(true) : void submit())}
              disabled={busy || blocked !== null || confirming}
              title={blocked ?? (busy ? 'Submitting…' : undefined)}
              aria-describedby={blocked ? 'submit-why' : undefined}
            >
              Submit for review
            </button>{' '}
            <span className="muted">Freezes the saved draft as a version a reviewer approves before it can go live.</span>
          </p>
          {blocked && (
            <p id="submit-why" className={`text-error ${styles.why}`} data-testid="submit-why">
              {blocked}
            </p>
          )}
          {confirming && (
            <div className={styles.confirm} role="alertdialog" aria-labelledby="confirm-warnings" data-testid="confirm-warnings">
              <p id="confirm-warnings">
                The saved draft has {plural(warnings, 'warning')} (listed above). The reviewer must acknowledge each before approving.
                Submit it anyway?
              </p>
              <div>
                <button type="button" className="btn btn-primary" onClick={() => void submit()} autoFocus>
                  Submit with {plural(warnings, 'warning')}
                </button>{' '}
                <button type="button" className="btn" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </div>
          )}
        </section>
      )}
      {message && <p role="status">{message}</p>}
      {error && (
        <div className="text-error" role="alert">
          <p>{error.message}</p>
          {error.details && error.details.length > 0 && (
            <ul>
              {error.details.slice(0, 50).map((d, i) => (
                <li key={i}>
                  {d.message}
                  {d.path && (
                    <details className={styles.problemDetails}>
                      <summary>Details</summary>
                      <code>{d.path}</code>
                    </details>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <DataTable label="Versions" rows={versions} empty="No versions yet. Save the draft, then submit it for review." columns={columns} />
    </div>
  );
}
