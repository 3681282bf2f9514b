'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { RunListItem, RunListResponse } from '@/lib/runs';
import { DataTable, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { LocalTime } from '@/components/ui/local-time';
import { call, statusBadge, type ApiError } from './api';
import { RunStatus } from './run-status';
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

  const columns: Column<RunListItem>[] = [
    {
      header: 'Run',
      cell: (r) => (
        <Link className="flow-link" href={`/runs/${r.id}`} aria-label={`Run ${r.id}`}>
          <code>{r.id.slice(0, 8)}</code>
        </Link>
      ),
    },
    {
      header: 'Flow',
      cell: (r) => (
        <>
          {r.flow.name} <span className="meta">v{r.flow.version}</span>
        </>
      ),
    },
    {
      header: 'Contact',
      cell: (r) => (
        <>
          {r.contact.name && <div>{r.contact.name}</div>}
          <span className={`${styles.phone} meta`}>{r.contact.phone ?? 'erased'}</span>
        </>
      ),
    },
    {
      header: 'Status',
      cell: (r) => <RunStatus label={STATUS_LABEL[r.status] ?? r.status} badge={statusBadge(r.status)} stopReason={r.stopReason} />,
    },
    { header: 'Node', cell: (r) => (r.node ? <code>{r.node}</code> : '—') },
    { header: 'Started', className: styles.nowrap, cell: (r) => <LocalTime iso={r.startedAt} /> },
    { header: 'Ended', className: styles.nowrap, cell: (r) => (r.endedAt ? <LocalTime iso={r.endedAt} /> : '—') },
  ];

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
        <FormField label="Contact id" value={filters.contact} onChange={set('contact')} placeholder="Any contact" spellCheck={false} />
        <FormField label="Started from" type="date" value={filters.from} onChange={set('from')} />
        <FormField label="Started to" type="date" value={filters.to} onChange={set('to')} />
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
        <EmptyState
          title={filtered ? 'No runs match these filters' : 'No runs yet'}
          lede={
            filtered
              ? 'Change or clear the filters to see more.'
              : 'Runs appear here once an active flow starts for a contact (through the API, an event or a schedule).'
          }
        />
      ) : (
        runs.length > 0 && <DataTable label="Runs" busy={loading} rows={runs} columns={columns} />
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
