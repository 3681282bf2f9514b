'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Field } from '@/components/ui/field';
import styles from './contacts.module.css';
import { readNdjson } from './read-ndjson';

interface RowProblem {
  row: number | null;
  column: string | null;
  message: string;
}

type Outcome =
  | { kind: 'idle' }
  | { kind: 'running'; phase: 'uploading' | 'validating' | 'importing'; done: number; total: number }
  | { kind: 'done'; created: number; updated: number; consents: number }
  | { kind: 'rejected'; message: string; errors: RowProblem[]; more: number }
  | { kind: 'error'; message: string };

type Line =
  | { phase: 'validating' | 'importing'; done: number; total: number }
  | { phase: 'done'; created: number; updated: number; consents: number }
  | { phase: 'failed'; errors: RowProblem[] };

const MAX_BYTES = 5 * 1024 * 1024;

/** The CSV import: choose or paste a file, watch the progress bar, read every row error; a file is imported whole or not at all. */
export function ImportPanel() {
  const router = useRouter();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const busy = outcome.kind === 'running';

  const chooseFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setOutcome({ kind: 'error', message: `${file.name} is over 5 MB: split it into smaller files.` });
      return;
    }
    setFileName(file.name);
    setText(await file.text());
    setOutcome({ kind: 'idle' });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOutcome({ kind: 'running', phase: 'uploading', done: 0, total: 0 });
    let res: Response;
    try {
      res = await fetch(`/api/contacts/import?file=${encodeURIComponent(fileName ?? 'pasted.csv')}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        body: text,
      });
    } catch {
      setOutcome({ kind: 'error', message: 'The server could not be reached; nothing was imported.' });
      return;
    }
    if (res.status === 422) {
      const body = (await res.json()) as { error: { message: string }; errors: RowProblem[]; moreErrors: number };
      setOutcome({ kind: 'rejected', message: body.error.message, errors: body.errors, more: body.moreErrors });
      return;
    }
    if (!res.ok || !res.body) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
      setOutcome({ kind: 'error', message: body?.error?.message ?? `The server answered ${res.status}; nothing was imported.` });
      return;
    }
    let finished = false;
    try {
      await readNdjson(res.body, (value) => {
        const line = value as Line;
        if (line.phase === 'validating' || line.phase === 'importing')
          setOutcome({ kind: 'running', phase: line.phase, done: line.done, total: line.total });
        else if (line.phase === 'done') {
          finished = true;
          setOutcome({ kind: 'done', created: line.created, updated: line.updated, consents: line.consents });
        } else if (line.phase === 'failed') {
          finished = true;
          setOutcome({
            kind: 'rejected',
            message: 'The import stopped and was rolled back: nothing was imported.',
            errors: line.errors,
            more: 0,
          });
        }
      });
    } catch {
      // The connection dropped: the import commits or rolls back as a whole on the server.
    }
    if (!finished)
      setOutcome({
        kind: 'error',
        message: 'The connection closed before the import finished. It was stored whole or not at all: reload the list to see which.',
      });
    else router.refresh();
  };

  return (
    <section className={styles.panel} aria-labelledby="import-heading">
      <h2 id="import-heading">Import contacts from CSV</h2>
      <p className={styles.panelHint}>
        Columns: <code>phone</code> (required), <code>name</code>, <code>first_name</code>, <code>zip</code>, <code>zone</code> (e.g.
        America/Chicago), <code>state</code>, <code>dob</code> (YYYY-MM-DD), and the consent evidence <code>consent_purpose</code>{' '}
        (informational or marketing), <code>consent_text</code> (the exact words shown; required for marketing), <code>consent_at</code>{' '}
        (e.g. 2026-03-10T15:00:00-05:00), <code>consent_channel</code> (sms, web, voice, paper, email, api) and <code>consent_ref</code>.
        Every row is checked first; if any row has a problem, nothing is imported. A number that is already a contact gets the fields its
        row gives.
      </p>
      <form className={styles.importForm} onSubmit={submit}>
        <Field label="CSV file" hint={fileName ? `Loaded ${fileName}.` : 'At most 5 MB, UTF-8.'}>
          {(p) => (
            <input {...p} type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void chooseFile(e.target.files?.[0])} />
          )}
        </Field>
        <Field label="…or paste the CSV">
          {(p) => (
            <textarea
              {...p}
              className="code-area"
              value={text}
              disabled={busy}
              spellCheck={false}
              placeholder={'phone,name,zone\n(212) 555-0142,Sam Lee,America/New_York'}
              onChange={(e) => {
                setText(e.target.value);
                setFileName(null);
              }}
            />
          )}
        </Field>
        <div className={styles.importActions}>
          <button type="submit" className="btn btn-primary" disabled={busy || text.trim() === ''}>
            Import
          </button>
        </div>
        <ImportOutcome outcome={outcome} />
      </form>
    </section>
  );
}

function ImportOutcome({ outcome }: { outcome: Outcome }) {
  switch (outcome.kind) {
    case 'idle':
      return null;
    case 'running': {
      const label =
        outcome.phase === 'uploading'
          ? 'Uploading and checking every row…'
          : outcome.phase === 'validating'
            ? `Checked ${outcome.total.toLocaleString()} rows.`
            : `Importing: ${outcome.done.toLocaleString()} of ${outcome.total.toLocaleString()} steps.`;
      return (
        <div className={styles.progress} role="status" aria-live="polite">
          <progress
            aria-label="Import progress"
            max={outcome.total || 1}
            value={outcome.phase === 'uploading' ? undefined : outcome.done}
          />
          <p className={styles.progressLabel}>{label}</p>
        </div>
      );
    }
    case 'done':
      return (
        <p className={`${styles.result} ${styles.ok}`} role="status">
          Imported: {outcome.created.toLocaleString()} new {outcome.created === 1 ? 'contact' : 'contacts'},{' '}
          {outcome.updated.toLocaleString()} updated, {outcome.consents.toLocaleString()} consent{' '}
          {outcome.consents === 1 ? 'record' : 'records'} added to the ledger.
        </p>
      );
    case 'error':
      return (
        <p className={`${styles.result} text-error`} role="alert">
          {outcome.message}
        </p>
      );
    case 'rejected':
      return (
        <div className={styles.result} role="alert">
          <p className={styles.nothing}>Nothing was imported.</p>
          <p>{outcome.message}</p>
          {outcome.errors.length > 0 && (
            <div className={styles.errorScroll}>
              <table className={styles.errorTable} aria-label="Problems in the file">
                <thead>
                  <tr>
                    <th scope="col">Row</th>
                    <th scope="col">Column</th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.row ?? '—'}</td>
                      <td>{e.column ? <code>{e.column}</code> : '—'}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {outcome.more > 0 && <p className="muted">…and {outcome.more.toLocaleString()} more problems not listed.</p>}
        </div>
      );
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
