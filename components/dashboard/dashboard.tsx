'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { FunnelResponse } from '@/lib/runs';
import { call, formatMoney, type ApiError } from '@/components/runs/api';
import { Field } from '@/components/ui/field';
import { FunnelChart } from './funnel-chart';
import styles from './dashboard.module.css';

/** Per flow, the funnel of the runs started in a date range, and the money collected. */
export function Dashboard({ initialFrom, initialTo }: { initialFrom: string; initialTo: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [range, setRange] = useState({ from: initialFrom, to: initialTo });
  const [applied, setApplied] = useState(range);
  const [data, setData] = useState<FunnelResponse | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (r: { from: string; to: string }) => {
    setLoading(true);
    const res = await call<FunnelResponse>(`/api/dashboard/funnel?from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}`);
    setLoading(false);
    if (res.ok) {
      setData(res.body);
      setError(null);
    } else setError(res.error);
  }, []);

  useEffect(() => {
    void load(applied);
  }, [applied, load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(range);
    router.replace(`${pathname}?from=${range.from}&to=${range.to}`, { scroll: false });
  };

  return (
    <>
      <form className={styles.filters} onSubmit={submit} aria-label="Date range">
        <Field label="Runs started from">
          {(p) => (
            <input {...p} type="date" required value={range.from} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))} />
          )}
        </Field>
        <Field label="to (inclusive, UTC)">
          {(p) => <input {...p} type="date" required value={range.to} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))} />}
        </Field>
        <button type="submit" className="btn btn-primary">
          Show
        </button>
      </form>

      {error && (
        <p className={`notice ${styles.error}`} role="alert">
          Could not load the dashboard: {error.message}
        </p>
      )}
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
