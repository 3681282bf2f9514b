'use client';

import { useState, type FormEvent } from 'react';
import type { PublicToken } from '@/lib/access/public-views';
import { TOKEN_SCOPES, type TokenScope } from '@/lib/access/roles';
import { fieldErrors } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import { useApiRequest } from '@/components/ui/use-api-request';
import { LocalTime } from '@/components/ui/local-time';
import styles from './admin.module.css';

/** A token as the panel shows it. */
export type TokenRow = PublicToken;

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
  const { error, request } = useApiRequest();
  const errors = fieldErrors(error);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const created = await request<{ token: TokenRow; secret: string }>('/api/tokens', {
      method: 'POST',
      json: { name: String(form.get('name')), scopes: form.getAll('scopes').map(String) },
    });
    if (!created) return;
    setSecret(created.secret);
    setTokens((t) => [created.token, ...t]);
    formEl.reset();
  }

  async function revoke(id: string) {
    if (!window.confirm('Revoke this token? Anything using it stops working at once.')) return;
    const revoked = await request<{ token: TokenRow }>(`/api/tokens/${id}`, { method: 'DELETE' });
    if (revoked) setTokens((t) => t.map((x) => (x.id === id ? revoked.token : x)));
  }

  const columns: Column<TokenRow>[] = [
    { header: 'Name', cell: (t) => t.name },
    { header: 'Starts with', cell: (t) => <code>{t.prefix}…</code> },
    { header: 'Scopes', cell: (t) => t.scopes.join(', ') },
    { header: 'Created', cell: (t) => <LocalTime iso={t.createdAt} /> },
    { header: 'Last used', cell: (t) => (t.lastUsedAt ? <LocalTime iso={t.lastUsedAt} /> : <span className="muted">never</span>) },
    {
      header: 'Actions',
      hiddenHeader: true,
      cell: (t) =>
        t.revokedAt ? (
          <span className="muted">revoked</span>
        ) : (
          <button type="button" className="btn btn-small btn-danger" onClick={() => revoke(t.id)}>
            Revoke <span className="visually-hidden">{t.name}</span>
          </button>
        ),
    },
  ];

  return (
    <div>
      <form className={styles.grid} onSubmit={create} aria-label="New API token">
        <FormField label="Token name" hint="What uses it, e.g. “CI export”." errors={errors.name} name="name" required maxLength={80} />
        <fieldset className={styles.checks}>
          <legend className="field-label">Scopes</legend>
          {TOKEN_SCOPES.filter((s) => allowedScopes.includes(s)).map((s) => (
            <label key={s}>
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === 'read'} /> {SCOPE_LABEL[s]}
            </label>
          ))}
        </fieldset>
        {errors.scopes && <p className="field-error">{errors.scopes.join(' · ')}</p>}
        <ErrorText error={error?.details || error?.path ? null : error} />
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
      <DataTable label="Your API tokens" rows={tokens} empty="No tokens yet." columns={columns} />
    </div>
  );
}
