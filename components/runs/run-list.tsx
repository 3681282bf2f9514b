'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { RunListItem, RunListResponse } from '@/lib/runs';
import { Field } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { call, statusBadge, type ApiError } from './api';
import styles from './runs.module.css';

/** The list's filters, as in the page's query string. */
export interface RunFilters {
  status: string;
  flow: string;
  contact: string;
  from: string;
  to: string;
}

const STATUS_LABEL: Record<string, string> = { active: 'Active', done: 'Done', stopped: 'Stopped', error: 'Error' };

function queryOf(filters: RunFilters, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Runs newest first with status, flow, contact, start date filters, a page at a time. */
export function RunList({ initial, flows }: { initial: RunFilters; flows: { id: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [filters, setFilters] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async (f: RunFilters, cursor?: string) => {
    setLoading(true);
    const res = await call<RunListResponse>(`/api/runs${queryOf(f, cursor)}`);
    setLoading(false);
    if (!res.ok) {
      setError(res.error);
      return;
    }
    setError(null);
    setRuns((prev) => (cursor ? [...prev, ...res.body.runs] : res.body.runs));
    setNext(res.body.nextCursor);
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(filters);
    router.replace(`${pathname}${queryOf(filters)}`, { scroll: false });
  };
  const clear = () => {
    const none = { status: '', flow: '', contact: '', from: '', to: '' };
    setFilters(none);
    setApplied(none);
    router.replace(pathname, { scroll: false });
  };
  const set = (key: keyof RunFilters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value }));
  const filtered = Object.values(applied).some(Boolean);

  return (
    <>
      <form className={styles.filters} onSubmit={submit} aria-label="Filter runs">
        <Field label="Status">
          {(p) => (
            <select {...p} value={filters.status} onChange={set('status')}>
              <option value="">Any status</option>
              {Object.entries(STATUS_LABEL).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Flow">
          {(p) => (
            <select {...p} value={filters.flow} onChange={set('flow')}>
              <option value="">Any flow</option>
              {flows.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Contact id">
          {(p) => <input {...p} value={filters.contact} onChange={set('contact')} placeholder="Any contact" spellCheck={false} />}
        </Field>
        <Field label="Started from">{(p) => <input {...p} type="date" value={filters.from} onChange={set('from')} />}</Field>
        <Field label="Started to">{(p) => <input {...p} type="date" value={filters.to} onChange={set('to')} />}</Field>
        <div className={styles.filterActions}>
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          {filtered && (
            <button type="button" className="btn" onClick={clear}>
              Clear
            </button>
          )}
        </div>
      </form>

      {error && (
        <p className={`notice ${styles.error}`} role="alert">
          Could not load the runs: {error.message}
        </p>
      )}

      {!error && !loading && runs.length === 0 ? (
        <section className="empty-state" aria-labelledby="no-runs">
          <h2 id="no-runs">{filtered ? 'No runs match these filters' : 'No runs yet'}</h2>
          <p className="lede">
            {filtered
              ? 'Change or clear the filters to see more.'
              : 'Runs appear here once an active flow starts for a contact (through the API, an event or a schedule).'}
          </p>
        </section>
      ) : (
        runs.length > 0 && (
          <table className="table" aria-label="Runs" aria-busy={loading}>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Flow</th>
                <th scope="col">Contact</th>
                <th scope="col">Status</th>
                <th scope="col">Node</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link className="flow-link" href={`/runs/${r.id}`} aria-label={`Run ${r.id}`}>
                      <code>{r.id.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td>
                    {r.flow.name} <span className="meta">v{r.flow.version}</span>
                  </td>
                  <td>
                    {r.contact.name && <div>{r.contact.name}</div>}
                    <span className={`${styles.phone} meta`}>{r.contact.phone ?? 'erased'}</span>
                  </td>
                  <td>
                    <span className={statusBadge(r.status)}>{STATUS_LABEL[r.status] ?? r.status}</span>
                    {r.stopReason && <div className="meta">{r.stopReason}</div>}
                  </td>
                  <td>{r.node ? <code>{r.node}</code> : '—'}</td>
                  <td className={styles.nowrap}>
                    <LocalTime iso={r.startedAt} />
                  </td>
                  <td className={styles.nowrap}>{r.endedAt ? <LocalTime iso={r.endedAt} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      )}
      {loading && (
        <p className="meta" role="status">
          Loading runs…
        </p>
      )}
      {next && !loading && (
        <div className={styles.more}>
          <button type="button" className="btn" onClick={() => void load(applied, next)}>
            Load more runs
          </button>
        </div>
      )}
    </>
  );
}
