'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { SegmentFilter, SegmentMember } from '@/lib/campaigns';
import { DataTable } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { callApi, type ApiError } from '@/components/ui/api';
import { useApiRequest } from '@/components/ui/use-api-request';
import { filterOf, newRow, rowsOf, type FilterRow } from './filter-rows';
import styles from './segments.module.css';

/** What the builder offers to pick from (lib/data `segmentsPage`). */
export interface BuilderChoices {
  tags: string[];
  imports: { id: string; label: string }[];
  flows: { id: string; name: string }[];
}

const FIELDS: { value: FilterRow['field']; label: string }[] = [
  { value: 'consent', label: 'Consent' },
  { value: 'state', label: 'State' },
  { value: 'zone', label: 'Time zone' },
  { value: 'attribute', label: 'Attribute' },
  { value: 'tag', label: 'Tag' },
  { value: 'import', label: 'CSV import' },
  { value: 'run', label: 'In a run of flow' },
];
const OPS = ['equals', 'contains', 'gt', 'gte', 'lt', 'lte', 'before', 'after', 'exists'];

/**
 * The segment builder: conditions a marketer understands, combined by
 * "all" or "any", with the live count and a sample from the server (the
 * same SQL the campaign reads), then saved by name.
 */
export function SegmentBuilder({
  choices,
  initial,
}: {
  choices: BuilderChoices;
  initial?: { id: string; name: string; filter: SegmentFilter };
}) {
  const router = useRouter();
  const start = initial ? rowsOf(initial.filter) : null;
  const [name, setName] = useState(initial?.name ?? '');
  const [match, setMatch] = useState<'all' | 'any'>(start?.match ?? 'all');
  const [rows, setRows] = useState<FilterRow[]>(start?.rows ?? [newRow('consent')]);
  const [preview, setPreview] = useState<{ count: number; sample: SegmentMember[] } | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const { loading, error, request } = useApiRequest();
  const filter = useMemo(() => filterOf(rows, match), [rows, match]);
  const filterText = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const res = await callApi<{ count: number; sample: SegmentMember[] }>('/api/segments/preview', {
        method: 'POST',
        json: { filter: JSON.parse(filterText) },
      });
      if (!live) return;
      setPreview(res.ok ? res.body : null);
      setPreviewError(res.ok ? null : res.error);
    }, 350);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filterText]);

  const change = (key: number, patch: Partial<FilterRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name, filter };
    const answer = initial
      ? await request<{ segment: { id: string } }>(`/api/segments/${initial.id}`, { method: 'PUT', json: body })
      : await request<{ segment: { id: string } }>('/api/segments', { method: 'POST', json: body });
    if (answer) {
      router.push(`/segments/${answer.segment.id}`);
      router.refresh();
    }
  };

  return (
    <form className={styles.builder} onSubmit={save} aria-label="Segment">
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} required />
      </label>
      <p>
        Contacts who match{' '}
        <select aria-label="Match" value={match} onChange={(e) => setMatch(e.target.value as 'all' | 'any')}>
          <option value="all">all</option>
          <option value="any">any</option>
        </select>{' '}
        of these conditions:
      </p>
      <ol className={styles.rows}>
        {rows.map((row, i) => (
          <li key={row.key} className={styles.row} aria-label={`Condition ${i + 1}`}>
            <label>
              <input type="checkbox" checked={row.negate} onChange={(e) => change(row.key, { negate: e.target.checked })} /> not
            </label>
            <select
              aria-label="Filter on"
              value={row.field}
              onChange={(e) => change(row.key, { field: e.target.value as FilterRow['field'] })}
            >
              {FIELDS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
            <RowInputs row={row} choices={choices} change={(patch) => change(row.key, patch)} />
            <button type="button" className="btn btn-small" onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-small" onClick={() => setRows((rs) => [...rs, newRow('tag')])} disabled={rows.length >= 50}>
        Add a condition
      </button>
      <section aria-live="polite" className={styles.preview}>
        {previewError ? (
          <ErrorText error={{ message: `${previewError.path ? `${previewError.path}: ` : ''}${previewError.message}` }} />
        ) : preview ? (
          <>
            <p>
              <strong data-testid="segment-count">{preview.count.toLocaleString('en-US')}</strong>{' '}
              {preview.count === 1 ? 'contact matches' : 'contacts match'} right now.
            </p>
            <SampleTable sample={preview.sample} />
          </>
        ) : (
          <p className="muted">Counting…</p>
        )}
      </section>
      <button type="submit" className="btn btn-primary" disabled={loading || name.trim() === ''}>
        {initial ? 'Save changes' : 'Save segment'}
      </button>
      <ErrorText error={error} />
    </form>
  );
}

function RowInputs({ row, choices, change }: { row: FilterRow; choices: BuilderChoices; change: (patch: Partial<FilterRow>) => void }) {
  switch (row.field) {
    case 'consent':
      return (
        <>
          <select aria-label="Purpose" value={row.purpose} onChange={(e) => change({ purpose: e.target.value as FilterRow['purpose'] })}>
            <option value="marketing">marketing</option>
            <option value="informational">informational</option>
          </select>
          <select
            aria-label="Consent status"
            value={row.status}
            onChange={(e) => change({ status: e.target.value as FilterRow['status'] })}
          >
            <option value="granted">granted</option>
            <option value="none">never asked</option>
            <option value="revoked">revoked</option>
          </select>
        </>
      );
    case 'state':
    case 'zone':
      return (
        <input
          aria-label={row.field === 'state' ? 'States' : 'Time zones'}
          value={row.list}
          onChange={(e) => change({ list: e.target.value })}
          placeholder={row.field === 'state' ? 'FL, TX' : 'America/New_York, America/Chicago'}
        />
      );
    case 'attribute':
      return (
        <>
          <input
            aria-label="Attribute"
            value={row.attrKey}
            onChange={(e) => change({ attrKey: e.target.value })}
            placeholder="amount_due"
          />
          <select aria-label="Comparison" value={row.op} onChange={(e) => change({ op: e.target.value })}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          {row.op !== 'exists' && <input aria-label="Value" value={row.value} onChange={(e) => change({ value: e.target.value })} />}
        </>
      );
    case 'tag':
      return (
        <>
          <input aria-label="Tag" list="segment-tags" value={row.tag} onChange={(e) => change({ tag: e.target.value })} />
          <datalist id="segment-tags">
            {choices.tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </>
      );
    case 'import':
      return (
        <select aria-label="Import" value={row.importId} onChange={(e) => change({ importId: e.target.value })}>
          <option value="">Pick an import</option>
          {choices.imports.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
        </select>
      );
    case 'run':
      return (
        <>
          <select aria-label="Flow" value={row.flowId} onChange={(e) => change({ flowId: e.target.value })}>
            <option value="">Pick a flow</option>
            {choices.flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <label>
            <input type="checkbox" checked={row.active} onChange={(e) => change({ active: e.target.checked })} /> still running
          </label>
        </>
      );
  }
}

/** A segment's sample: number, where the runtime reckons they are, tags, consent (no names: they stay encrypted). */
export function SampleTable({ sample }: { sample: readonly SegmentMember[] }) {
  return (
    <DataTable
      label="Sample of the segment"
      rows={sample}
      empty="No contact matches."
      columns={[
        { header: 'Phone', cell: (m) => m.phone },
        { header: 'Zones', cell: (m) => m.zones.join(', ') },
        { header: 'States', cell: (m) => m.states.join(', ') },
        { header: 'Tags', cell: (m) => m.tags.join(', ') || '—' },
        { header: 'Consent', cell: (m) => m.consent },
      ]}
    />
  );
}
