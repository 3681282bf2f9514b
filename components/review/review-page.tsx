'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { VersionDetail } from '@/lib/flows';
import { describeProblems } from '@/lib/flow/problem-text';
import type { FlowDocument } from '@/lib/flow/schema';
import { callApi, type ApiError } from '@/components/ui/api';
import { LocalTime } from '@/components/ui/local-time';
import { DiffView } from './diff-view';
import { ProblemSentences } from './problem-sentences';
import styles from './review.module.css';

const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));

/** The review of one version: report, visual diff, field changes, machine, decisions; approve or reject; activate or pause. */
export function ReviewPage({
  detail,
  people,
  canActivate,
}: {
  detail: VersionDetail;
  people: Record<string, string>;
  canActivate: boolean;
}) {
  const { version, report, diff, canDecide } = detail;
  const [acknowledged, setAcknowledged] = useState<Set<string>>(new Set());
  const [comment, setComment] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const name = (id: string) => people[id] ?? id;

  async function act(url: string, body?: unknown) {
    setBusy(true);
    setError(null);
    const res = await callApi(url, { method: 'POST', json: body ?? {} });
    setBusy(false);
    if (!res.ok) return setError(res.error);
    window.location.reload();
  }

  const warnings = report?.warnings ?? [];
  const allAcknowledged = warnings.every((w) => acknowledged.has(w.key));
  const approvedLike = version.status === 'approved' || version.status === 'paused';
  const content = version.content as unknown as FlowDocument;
  const errorTexts = report ? describeProblems(content, report.errors) : [];
  const warningTexts = report ? describeProblems(content, warnings) : [];
  const errorCount = report ? report.errors.length : detail.problems.length;
  // Why each button is off, said on the button (title) and beside it (visible text).
  const approveWhy = busy
    ? 'Working…'
    : errorCount > 0
      ? `Approve is off: version ${version.version} has ${errorCount} compliance error${errorCount === 1 ? '' : 's'} (listed above), and a version with errors can never be approved. Reject it with a comment saying what to fix.`
      : !allAcknowledged
        ? `Approve is off until every warning above is acknowledged (${warnings.length - warnings.filter((w) => acknowledged.has(w.key)).length} left).`
        : null;
  const rejectWhy = busy ? 'Working…' : comment.trim() === '' ? 'Reject is off until you write a comment saying why.' : null;
  const activateWhy = busy ? 'Working…' : detail.binding && !detail.binding.ok ? `Activate is off: ${detail.binding.reason}.` : null;

  return (
    <div className={styles.grid}>
      <header>
        <p>
          <Link href={`/flows/${encodeURIComponent(detail.flow.id)}/versions`}>← Versions of {detail.flow.name}</Link>
        </p>
        <h1>
          {detail.flow.name}: version {version.version}{' '}
          <span className={styles.status} data-status={version.status} data-testid="version-status">
            {version.status}
          </span>
        </h1>
        <p className={styles.meta}>
          <span>Submitted by {name(version.createdBy)}</span>
          <span
            data-testid="version-authors"
            title="Whoever submitted this version or changed its draft since the last approved version: none of them may approve or reject it"
          >
            Authors: {detail.authors.map(name).join(', ')}
          </span>
          <span>
            <LocalTime iso={version.createdAt} />
          </span>
          <span title={version.contentHash}>
            Content hash <code>{version.contentHash.slice(0, 12)}</code>
          </span>
          {report && <span>Analyzer {report.analyzerVersion}</span>}
        </p>
        {detail.binding && !detail.binding.ok && (
          <p className="notice text-error" role="alert">
            This approval no longer holds: {detail.binding.reason}. It must be reviewed again before it can run.
          </p>
        )}
      </header>

      <section aria-labelledby="report-heading">
        <h2 id="report-heading">Compliance report</h2>
        {!report ? (
          <ul className={styles.problems}>
            {detail.problems.map((p, i) => (
              <li key={i} className={`${styles.problem} ${styles.error}`}>
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        ) : report.errors.length === 0 && warnings.length === 0 ? (
          <p className="all-clear">No errors, no warnings: every path is proven compliant.</p>
        ) : (
          <>
            <ProblemSentences problems={errorTexts} label="Errors" />
            {warnings.length > 0 && (
              <ul className={styles.problems} aria-label="Warnings">
                {warnings.map((p, i) => (
                  <li key={p.key} className={`${styles.problem} ${styles.warning}`}>
                    <label>
                      {canDecide.ok && version.status === 'submitted' && (
                        <input
                          type="checkbox"
                          checked={acknowledged.has(p.key)}
                          onChange={(e) =>
                            setAcknowledged((s) => {
                              const next = new Set(s);
                              if (e.target.checked) next.add(p.key);
                              else next.delete(p.key);
                              return next;
                            })
                          }
                          aria-label={`Acknowledge warning: ${warningTexts[i]!.where}: ${warningTexts[i]!.sentence}`}
                        />
                      )}{' '}
                      <strong>{warningTexts[i]!.where}</strong>: {warningTexts[i]!.sentence}
                    </label>
                    <details className={styles.problemDetails}>
                      <summary>Details</summary>
                      <code>{warningTexts[i]!.details}</code>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="diff-heading">
        <h2 id="diff-heading">
          Changes {diff?.base ? `since version ${diff.base.version} (${diff.base.status})` : '(first version: everything is new)'}
        </h2>
        {diff && (
          <>
            <DiffView after={version.content as unknown as FlowDocument} before={diff.before} diff={diff.changes} />
            <h3>Field changes</h3>
            {diff.changes.changes.length === 0 ? (
              <p className="muted">No content changes{diff.changes.nodes.moved.length ? ' (only steps moved on the canvas)' : ''}.</p>
            ) : (
              <ul className={styles.changes} aria-label="Field changes">
                {diff.changes.changes.slice(0, 500).map((c) => (
                  <li key={`${c.kind}:${c.path}`}>
                    <span className={c.kind === 'added' ? 'all-clear' : c.kind === 'removed' ? 'text-error' : 'text-warn'}>{c.kind}</span>{' '}
                    <code>{c.path}</code>
                    {c.kind === 'changed' ? `: ${show(c.before)} → ${show(c.after)}` : c.kind === 'added' ? `: ${show(c.after)}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="machine-heading">
        <h2 id="machine-heading">Compiled machine</h2>
        <details>
          <summary>
            The XState machine the runtime will run (
            {detail.machine ? Object.keys((detail.machine as { states?: object }).states ?? {}).length : 0} states)
          </summary>
          <pre className={styles.machine}>{JSON.stringify(detail.machine, null, 2)}</pre>
        </details>
      </section>

      <section aria-labelledby="decisions-heading">
        <h2 id="decisions-heading">Review</h2>
        {detail.reviews.length > 0 && (
          <ul className={styles.problems} aria-label="Decisions">
            {detail.reviews.map((r) => (
              <li key={r.id} className={styles.problem}>
                <strong>{r.decision}</strong> by {name(r.reviewer)} · <LocalTime iso={r.createdAt} />
                {r.comment ? <p>{r.comment}</p> : null}
              </li>
            ))}
          </ul>
        )}
        {version.status === 'submitted' &&
          (canDecide.ok ? (
            <form className={styles.decision} onSubmit={(e) => e.preventDefault()} aria-label="Decision">
              <label className="field-label" htmlFor="review-comment">
                Comment (required to reject)
              </label>
              <textarea id="review-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
              <div className={styles.actions}>
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={approveWhy !== null}
                  title={approveWhy ?? undefined}
                  aria-describedby={approveWhy ? 'approve-why' : undefined}
                  onClick={() =>
                    act(`/api/versions/${version.id}/review`, { decision: 'approved', comment, acknowledgedWarnings: [...acknowledged] })
                  }
                >
                  Approve
                </button>
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={rejectWhy !== null}
                  title={rejectWhy ?? undefined}
                  aria-describedby={rejectWhy ? 'reject-why' : undefined}
                  onClick={() =>
                    act(`/api/versions/${version.id}/review`, { decision: 'rejected', comment, acknowledgedWarnings: [...acknowledged] })
                  }
                >
                  Reject
                </button>
              </div>
              {approveWhy && (
                <p id="approve-why" className={`${errorCount > 0 ? 'text-error' : 'text-warn'} ${styles.why}`} data-testid="approve-why">
                  {approveWhy}
                </p>
              )}
              {rejectWhy && (
                <p id="reject-why" className={`muted ${styles.why}`} data-testid="reject-why">
                  {rejectWhy}
                </p>
              )}
            </form>
          ) : (
            <p className="notice" data-testid="cannot-decide">
              {canDecide.reason ?? 'You cannot decide this review.'}
            </p>
          ))}
        {canActivate && approvedLike && (
          <div className={styles.actions}>
            <button
              type="button"
              className="btn btn-primary"
              disabled={activateWhy !== null}
              title={activateWhy ?? undefined}
              onClick={() => act(`/api/versions/${version.id}/activate`)}
            >
              Activate
            </button>
            {activateWhy && <span className={`muted ${styles.why}`}>{activateWhy}</span>}
          </div>
        )}
        {canActivate && version.status === 'active' && (
          <div className={styles.actions}>
            <button
              type="button"
              className="btn"
              disabled={busy}
              title={busy ? 'Working…' : undefined}
              onClick={() => act(`/api/versions/${version.id}/pause`)}
            >
              Pause
            </button>
            {busy && <span className={`muted ${styles.why}`}>Working…</span>}
          </div>
        )}
        {error && (
          <div className="text-error" role="alert">
            <p>{error.message}</p>
            {error.details?.slice(0, 50).map((d, i) => (
              <p key={i}>
                {d.message}
                {d.path ? (
                  <>
                    {' '}
                    <code className="muted">{d.path}</code>
                  </>
                ) : null}
              </p>
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
