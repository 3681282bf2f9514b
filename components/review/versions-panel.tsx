'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { PublicVersion } from '@/lib/flows';
import { callApi, type ApiError } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { LocalTime } from '@/components/ui/local-time';
import styles from './review.module.css';

/** A flow's versions, newest first, and "Submit for review" (freezes the saved draft as a version). */
export function VersionsPanel({
  flowId,
  initial,
  people,
  canSubmit,
}: {
  flowId: string;
  initial: PublicVersion[];
  people: Record<string, string>;
  canSubmit: boolean;
}) {
  const [versions, setVersions] = useState(initial);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
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
        <p>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={busy}>
            Submit for review
          </button>{' '}
          <span className="muted">Freezes the saved draft as a version a reviewer approves before it can go live.</span>
        </p>
      )}
      {message && <p role="status">{message}</p>}
      {error && (
        <div className="text-error" role="alert">
          <p>{error.message}</p>
          {error.details?.slice(0, 20).map((d, i) => (
            <p key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </p>
          ))}
        </div>
      )}
      <DataTable label="Versions" rows={versions} empty="No versions yet. Save the draft, then submit it for review." columns={columns} />
    </div>
  );
}
