'use client';

import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunTimelineResponse } from '@/lib/runs';
import { FlowView } from '@/components/flow-canvas/flow-view';
import { LoadError } from '@/components/ui/load-error';
import { useApiRequest } from '@/components/ui/use-api-request';
import { LocalTime } from '@/components/ui/local-time';
import { call, statusBadge } from './api';
import { RunTimeline } from './run-timeline';
import styles from './runs.module.css';

/** One run: who, which flow and version, where it is, what happened, the path on the canvas; cancel for those allowed. */
export function RunInspector({ runId }: { runId: string }) {
  const [data, setData] = useState<RunTimelineResponse | null>(null);
  const { error, request } = useApiRequest();
  const [cancelError, setCancelError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  const load = useCallback(async () => {
    const body = await request<RunTimelineResponse>(`/api/runs/${encodeURIComponent(runId)}/timeline`);
    if (body) setData(body);
  }, [request, runId]);

  useEffect(() => {
    void load();
  }, [load]);

  const cancel = async () => {
    setBusy(true);
    const res = await call<unknown>(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST', body: '{}' });
    setBusy(false);
    if (!res.ok) {
      setCancelError(res.error.message);
      return;
    }
    dialog.current?.close();
    setCancelError(null);
    await load();
  };

  if (error) return <LoadError what="this run" error={error} />;
  if (!data)
    return (
      <p className="meta" role="status">
        Loading the run…
      </p>
    );
  const { run } = data;

  return (
    <>
      <header className={styles.header}>
        <div>
          <p className="meta">
            <Link href="/runs">Runs</Link> / <code>{run.id}</code>
          </p>
          <h1>
            {run.flow.name} <span className="meta">version {run.flow.version}</span>
          </h1>
          <dl className={styles.facts}>
            <div>
              <dt>Contact</dt>
              <dd>
                <Link href={`/contacts/${run.contact.id}`}>{run.contact.name ?? run.contact.phone ?? 'erased contact'}</Link>
                {run.contact.name && <div className={`meta ${styles.phone}`}>{run.contact.phone ?? 'erased'}</div>}
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <span className={statusBadge(run.status)}>{run.status}</span>
              </dd>
            </div>
            <div>
              <dt>Node</dt>
              <dd>{run.node ? <code>{run.node}</code> : '—'}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <LocalTime iso={run.startedAt} />
              </dd>
            </div>
            <div>
              <dt>Ended</dt>
              <dd>{run.endedAt ? <LocalTime iso={run.endedAt} /> : '—'}</dd>
            </div>
            {run.stopReason && (
              <div>
                <dt>Stop reason</dt>
                <dd>{run.stopReason}</dd>
              </div>
            )}
          </dl>
        </div>
        {data.canCancel && (
          <button type="button" className="btn btn-danger" onClick={() => dialog.current?.showModal()}>
            Cancel run
          </button>
        )}
      </header>

      <dialog ref={dialog} className="dialog" aria-labelledby="cancel-title">
        <h2 id="cancel-title">Cancel this run?</h2>
        <p>
          The run stops at once and nothing more is sent for it. {run.contact.name ?? 'The contact'} stays a contact, and their consent is
          unchanged. This cannot be undone.
        </p>
        {cancelError && (
          <p className="field-error" role="alert">
            {cancelError}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => dialog.current?.close()}>
            Keep running
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void cancel()}>
            {busy ? 'Cancelling…' : 'Cancel run'}
          </button>
        </div>
      </dialog>

      <div className={styles.columns}>
        <section aria-labelledby="path-title">
          <h2 id="path-title">Path taken</h2>
          {data.flow ? (
            <FlowView
              doc={data.flow}
              nodeTones={data.path.nodeTones}
              edgeTones={data.path.edgeTones}
              label={`Flow ${run.flow.name}, with the path this run took`}
              height={560}
            />
          ) : (
            <p className="meta">This version&apos;s flow could not be read, so its path cannot be drawn.</p>
          )}
        </section>
        <section aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <RunTimeline items={data.timeline} contactZones={data.contactZones} />
        </section>
      </div>
    </>
  );
}
