'use client';

import { useState, type FormEvent } from 'react';
import { TOKEN_SCOPES, type TokenScope } from '@/lib/access/roles';
import { callApi, fieldErrors, type ApiError } from '@/components/ui/api';
import { Field } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import styles from './admin.module.css';

export interface TokenRow {
  id: string;
  name: string;
  scopes: TokenScope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SCOPE_LABEL: Record<TokenScope, string> = {
  read: 'Read flows, contacts, runs',
  'flows.transfer': 'Import and export flows',
  'contacts.write': 'Add and import contacts',
  'runs.write': 'Start and cancel runs, send events',
};

/** The signed-in person's API tokens: create (secret shown once), list, revoke. */
export function TokensPanel({ initial, allowedScopes }: { initial: TokenRow[]; allowedScopes: TokenScope[] }) {
  const [tokens, setTokens] = useState(initial);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const errors = fieldErrors(error);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const res = await callApi<{ token: TokenRow; secret: string }>('/api/tokens', {
      method: 'POST',
      json: { name: String(form.get('name')), scopes: form.getAll('scopes').map(String) },
    });
    if (!res.ok) return setError(res.error);
    setError(null);
    setSecret(res.body.secret);
    setTokens((t) => [res.body.token, ...t]);
    formEl.reset();
  }

  async function revoke(id: string) {
    if (!window.confirm('Revoke this token? Anything using it stops working at once.')) return;
    const res = await callApi<{ token: TokenRow }>(`/api/tokens/${id}`, { method: 'DELETE' });
    if (!res.ok) return setError(res.error);
    setTokens((t) => t.map((x) => (x.id === id ? res.body.token : x)));
  }

  return (
    <div>
      <form className={styles.grid} onSubmit={create} aria-label="New API token">
        <Field label="Token name" hint="What uses it, e.g. “CI export”." errors={errors.name}>
          {(p) => <input {...p} name="name" required maxLength={80} />}
        </Field>
        <fieldset className={styles.checks}>
          <legend className="field-label">Scopes</legend>
          {TOKEN_SCOPES.filter((s) => allowedScopes.includes(s)).map((s) => (
            <label key={s}>
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === 'read'} /> {SCOPE_LABEL[s]}
            </label>
          ))}
        </fieldset>
        {errors.scopes && <p className="field-error">{errors.scopes.join(' · ')}</p>}
        {error && !error.details && !error.path && (
          <p className="text-error" role="alert">
            {error.message}
          </p>
        )}
        <div>
          <button className="btn btn-primary" type="submit">
            Create token
          </button>
        </div>
      </form>
      {secret && (
        <div role="status" className="notice">
          <p>
            <strong>Copy this token now.</strong> It is shown only once; Optline keeps only a hash of it. Send it as{' '}
            <code>Authorization: Bearer …</code>.
          </p>
          <p className={styles.secretBox} data-testid="token-secret">
            {secret}
          </p>
        </div>
      )}
      <table className="table" aria-label="Your API tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Starts with</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No tokens yet.
              </td>
            </tr>
          )}
          {tokens.map((t) => (
            <tr key={t.id}>
              <td>{t.name}</td>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.scopes.join(', ')}</td>
              <td>
                <LocalTime iso={t.createdAt} />
              </td>
              <td>{t.lastUsedAt ? <LocalTime iso={t.lastUsedAt} /> : <span className="muted">never</span>}</td>
              <td>
                {t.revokedAt ? (
                  <span className="muted">revoked</span>
                ) : (
                  <button type="button" className="btn btn-small btn-danger" onClick={() => revoke(t.id)}>
                    Revoke <span className="visually-hidden">{t.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
