'use client';

import { useCallback, useEffect, useState } from 'react';
import type { FunnelResponse } from '@/lib/runs';
import { formatMoney } from '@/components/runs/api';
import { useApiRequest } from '@/components/ui/use-api-request';
import { useQueryFilters } from '@/components/ui/use-query-filters';
import { FormField } from '@/components/ui/form-field';
import { LoadError } from '@/components/ui/load-error';
import { FunnelChart } from './funnel-chart';
import styles from './dashboard.module.css';

/** Per flow, the funnel of the runs started in a date range, and the money collected. */
export function Dashboard({ initialFrom, initialTo }: { initialFrom: string; initialTo: string }) {
  const { filters: range, setFilters: setRange, applied, submit } = useQueryFilters({ from: initialFrom, to: initialTo });
  const [data, setData] = useState<FunnelResponse | null>(null);
  const { loading, error, request } = useApiRequest({ loading: true });

  const load = useCallback(
    async (r: { from: string; to: string }) => {
      const body = await request<FunnelResponse>(`/api/dashboard/funnel?from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`);
      if (body) setData(body);
    },
    [request],
  );

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  const set = (key: 'from' | 'to') => (e: { target: { value: string } }) => setRange((r) => ({ ...r, [key]: e.target.value }));

  return (
    <>
      <form className={styles.filters} onSubmit={submit} aria-label="Date range">
        <FormField label="Runs started from" type="date" required value={range.from} onChange={set('from')} />
        <FormField label="to (inclusive, UTC)" type="date" required value={range.to} onChange={set('to')} />
        <button type="submit" className="btn btn-primary">
          Show
        </button>
      </form>

      <LoadError what="the dashboard" error={error} />
      {loading && (
        <p className="meta" role="status">
          Loading…
        </p>
      )}
      {data && !error && !loading && data.flows.length === 0 && (
        <section className="empty-state" aria-labelledby="no-funnel">
          <h2 id="no-funnel">No runs in this range</h2>
          <p className="lede">
            No flow started a run between {data.from} and {data.to}. Pick a wider range, or start a run from an active flow.
          </p>
        </section>
      )}
      {data && !error && data.flows.length > 0 && (
        <ul className={styles.flows} aria-busy={loading}>
          {data.flows.map((f) => (
            <li key={f.flowId} className="card">
              <div className="card-head">
                <h3>{f.flowName}</h3>
                <span className="meta">
                  <code>{f.flowId}</code>
                </span>
              </div>
              <FunnelChart funnel={f} />
              <p className={styles.collected}>
                Collected:{' '}
                <strong>
                  {f.collected.length === 0 ? 'nothing yet' : f.collected.map((c) => formatMoney(c.amountMinor, c.currency)).join(' + ')}
                </strong>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
