'use client';

import { useState, type FormEvent } from 'react';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import { LocalTime } from '@/components/ui/local-time';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './admin.module.css';

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
}

const PAGE = 100;

/** The audit log: filters, paging back in time, CSV export of what the filters select. */
export function AuditLog({ initial, people }: { initial: AuditRow[]; people: Record<string, string> }) {
  const [rows, setRows] = useState(initial);
  const [query, setQuery] = useState('');
  const { error, request } = useApiRequest();
  const [more, setMore] = useState(initial.length === PAGE);

  const load = async (q: string, before?: number) => {
    const page = await request<{ entries: AuditRow[] }>(`/api/audit?${q}&limit=${PAGE}${before ? `&before=${before}` : ''}`);
    if (!page) return;
    setRows((r) => (before ? [...r, ...page.entries] : page.entries));
    setMore(page.entries.length === PAGE);
  };

  function filter(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(e.currentTarget)) {
      const s = String(v).trim();
      if (!s) continue;
      params.set(k, k === 'from' || k === 'to' ? new Date(`${s}T00:00:00`).toISOString() : s);
    }
    const q = params.toString();
    setQuery(q);
    void load(q);
  }

  const who = (actor: string) => {
    const [id, ...rest] = actor.split(' ');
    return people[id!] ? `${people[id!]}${rest.length ? ` ${rest.join(' ')}` : ''}` : actor;
  };

  const columns: Column<AuditRow>[] = [
    { header: 'When', cell: (r) => <LocalTime iso={r.at} /> },
    { header: 'Who', cell: (r) => who(r.actor) },
    { header: 'What', cell: (r) => <code>{r.action}</code> },
    { header: 'Subject', cell: (r) => `${r.subjectType}${r.subjectId ? ` ${r.subjectId}` : ''}` },
    { header: 'Details', className: styles.details, cell: (r) => (Object.keys(r.details).length ? JSON.stringify(r.details) : '') },
  ];

  return (
    <div>
      <form className={styles.filters} onSubmit={filter} aria-label="Filter the audit log">
        <FormField label="Action" hint="e.g. version. or user.signed_in" name="action" />
        <FormField label="Subject type" name="subjectType" placeholder="flow, version, user…" />
        <FormField label="From" name="from" type="date" />
        <FormField label="Until" name="to" type="date" />
        <button className="btn" type="submit">
          Filter
        </button>
        <a className="btn" href={`/api/audit/export?${query}`} download>
          Export CSV
        </a>
      </form>
      <ErrorText error={error} />
      <DataTable label="Audit log" rows={rows} empty="Nothing recorded matches." columns={columns} />
      {more && (
        <button type="button" className="btn" onClick={() => load(query, rows.at(-1)?.id)}>
          Older entries
        </button>
      )}
    </div>
  );
}
