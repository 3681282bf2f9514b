'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi, type ApiError } from '@/components/ui/api';
import { ErrorText } from '@/components/ui/error-text';
import { LocalTime } from '@/components/ui/local-time';
import styles from './sandbox-phone.module.css';

/**
 * The sandbox clock: the app's time (what quiet hours and holds are decided
 * by), and for the owner and admins a form that sets it (a wall-clock time in
 * a zone, through PUT /api/sandbox/clock) and a button back to real time.
 */
export function SandboxClockControl({ now, isSet, canSet }: { now: string; isSet: boolean; canSet: boolean }) {
  const router = useRouter();
  const [at, setAt] = useState('');
  const [zone, setZone] = useState('America/New_York');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (init: RequestInit & { json?: unknown }) => {
    setBusy(true);
    const res = await callApi('/api/sandbox/clock', init);
    setBusy(false);
    setError(res.ok ? null : res.error);
    if (res.ok) router.refresh();
  };
  const set = (e: FormEvent) => {
    e.preventDefault();
    void change({ method: 'PUT', json: { at, zone } });
  };

  return (
    <section className={styles.clock} aria-labelledby="sandbox-clock-heading">
      <h2 id="sandbox-clock-heading">Sandbox clock</h2>
      <p>
        The app&apos;s time:{' '}
        <strong data-testid="sandbox-clock-now">
          <LocalTime iso={now} />
        </strong>{' '}
        <span className="muted" data-testid="sandbox-clock-state">
          {isSet ? '(set: quiet hours and holds are decided by it)' : '(real time)'}
        </span>
      </p>
      {canSet && (
        <form onSubmit={set} aria-label="Set the sandbox clock" className={styles.clockForm}>
          <label className="field">
            <span className="field-label">Time</span>
            <input type="datetime-local" value={at} disabled={busy} onChange={(e) => setAt(e.target.value)} required />
          </label>
          <label className="field">
            <span className="field-label">Zone</span>
            <input value={zone} disabled={busy} onChange={(e) => setZone(e.target.value)} placeholder="America/New_York" required />
          </label>
          <button type="submit" className="btn" disabled={busy || at === ''}>
            Set the clock
          </button>
          {isSet && (
            <button type="button" className="btn" disabled={busy} onClick={() => void change({ method: 'DELETE' })}>
              Back to real time
            </button>
          )}
        </form>
      )}
      <ErrorText error={error} />
    </section>
  );
}
