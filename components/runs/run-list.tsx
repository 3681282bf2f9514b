'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import type { RunListItem, RunListResponse } from '@/lib/runs';
import { DataTable, type Column } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { FormField } from '@/components/ui/form-field';
import { LoadError } from '@/components/ui/load-error';
import { SelectField } from '@/components/ui/select-field';
import { useApiRequest } from '@/components/ui/use-api-request';
import { filterQuery, useQueryFilters } from '@/components/ui/use-query-filters';
import { LocalTime } from '@/components/ui/local-time';
import { statusBadge } from './api';
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
const STATUS_OPTIONS = Object.entries(STATUS_LABEL).map(([value, label]) => ({ value, label }));

/** Runs newest first with status, flow, contact, start date filters, a page at a time. */
export function RunList({ initial, flows }: { initial: RunFilters; flows: { id: string; name: string }[] }) {
  const { filters, setFilters, applied, apply, submit } = useQueryFilters(initial);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const { loading, error, request } = useApiRequest({ loading: true });

  const load = useCallback(
    async (f: RunFilters, cursor?: string) => {
      const body = await request<RunListResponse>(`/api/runs${filterQuery(f, cursor ? { cursor } : {})}`);
      if (!body) return;
      setRuns((prev) => (cursor ? [...prev, ...body.runs] : body.runs));
      setNext(body.nextCursor);
    },
    [request],
  );

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  const clear = () => apply({ status: '', flow: '', contact: '', from: '', to: '' });
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
        <SelectField label="Status" value={filters.status} onChange={set('status')} none="Any status" options={STATUS_OPTIONS} />
        <SelectField
          label="Flow"
          value={filters.flow}
          onChange={set('flow')}
          none="Any flow"
          options={flows.map((f) => ({ value: f.id, label: f.name }))}
        />
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

      <LoadError what="the runs" error={error} />

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
