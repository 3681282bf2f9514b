'use client';

import { useState, type FormEvent } from 'react';
import { callApi, type ApiError } from '@/components/ui/api';
import { Field } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
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
  const [error, setError] = useState<ApiError | null>(null);
  const [more, setMore] = useState(initial.length === PAGE);

  const load = async (q: string, before?: number) => {
    const res = await callApi<{ entries: AuditRow[] }>(`/api/audit?${q}&limit=${PAGE}${before ? `&before=${before}` : ''}`);
    if (!res.ok) return setError(res.error);
    setError(null);
    setRows((r) => (before ? [...r, ...res.body.entries] : res.body.entries));
    setMore(res.body.entries.length === PAGE);
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

  return (
    <div>
      <form className={styles.filters} onSubmit={filter} aria-label="Filter the audit log">
        <Field label="Action" hint="e.g. version. or user.signed_in">
          {(p) => <input {...p} name="action" />}
        </Field>
        <Field label="Subject type">{(p) => <input {...p} name="subjectType" placeholder="flow, version, user…" />}</Field>
        <Field label="From">{(p) => <input {...p} name="from" type="date" />}</Field>
        <Field label="Until">{(p) => <input {...p} name="to" type="date" />}</Field>
        <button className="btn" type="submit">
          Filter
        </button>
        <a className="btn" href={`/api/audit/export?${query}`} download>
          Export CSV
        </a>
      </form>
      {error && (
        <p className="text-error" role="alert">
          {error.message}
        </p>
      )}
      <table className="table" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Subject</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                Nothing recorded matches.
              </td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <LocalTime iso={r.at} />
              </td>
              <td>{who(r.actor)}</td>
              <td>
                <code>{r.action}</code>
              </td>
              <td>
                {r.subjectType}
                {r.subjectId ? ` ${r.subjectId}` : ''}
              </td>
              <td className={styles.details}>{Object.keys(r.details).length ? JSON.stringify(r.details) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button type="button" className="btn" onClick={() => load(query, rows.at(-1)?.id)}>
          Older entries
        </button>
      )}
    </div>
  );
}
