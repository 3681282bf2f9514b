'use client';

import { useState, type FormEvent } from 'react';
import type { PublicUser } from '@/lib/access/public-views';
import { ROLES, type Role } from '@/lib/access/roles';
import { fieldErrors } from '@/components/ui/api';
import { DataTable, type Column } from '@/components/ui/data-table';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import { SelectField } from '@/components/ui/select-field';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './admin.module.css';

/** A person as the panel shows them. */
export type UserRow = PublicUser;

const ROLE_HELP: Record<Role, string> = {
  owner: 'everything, people and settings',
  admin: 'people and settings, flows',
  editor: 'builds flows, submits them for review',
  developer: 'import/export, API tokens; no approval',
  reviewer: 'approves or rejects versions, activates them',
};

/** People who can sign in: add one with a first password, change a role, disable or enable. */
export function UsersPanel({ initial, me, myRole }: { initial: UserRow[]; me: string; myRole: Role }) {
  const [users, setUsers] = useState(initial);
  const { error, request } = useApiRequest();
  const errors = fieldErrors(error);
  const assignable = ROLES.filter((r) => r !== 'owner' && (r !== 'admin' || myRole === 'owner'));
  // Nobody changes the owner, themselves, or (unless they are the owner) an admin.
  const isLocked = (u: UserRow) => u.role === 'owner' || u.id === me || (u.role === 'admin' && myRole !== 'owner');

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const json = Object.fromEntries(['name', 'email', 'password', 'role'].map((k) => [k, String(form.get(k))]));
    const added = await request<{ user: UserRow }>('/api/users', { method: 'POST', json });
    if (!added) return;
    setUsers((u) => [...u, added.user]);
    formEl.reset();
  }

  async function change(id: string, body: { role: Role } | { disabled: boolean }) {
    const changed = await request<{ user: UserRow }>(`/api/users/${id}`, { method: 'PATCH', json: body });
    if (changed) setUsers((u) => u.map((x) => (x.id === id ? changed.user : x)));
  }

  const columns: Column<UserRow>[] = [
    { header: 'Name', cell: (u) => u.name },
    { header: 'Email', cell: (u) => u.email },
    {
      header: 'Role',
      cell: (u) =>
        isLocked(u) ? (
          u.role
        ) : (
          <select aria-label={`Role of ${u.name}`} value={u.role} onChange={(e) => change(u.id, { role: e.target.value as Role })}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ),
    },
    { header: 'Two-factor', cell: (u) => (u.twoFactorEnabled ? 'on' : <span className="muted">off</span>) },
    {
      header: 'Status',
      cell: (u) => (
        <>
          {u.disabled ? 'disabled' : 'active'}{' '}
          {!isLocked(u) && (
            <button type="button" className="btn btn-small" onClick={() => change(u.id, { disabled: !u.disabled })}>
              {u.disabled ? 'Enable' : 'Disable'} <span className="visually-hidden">{u.name}</span>
            </button>
          )}
        </>
      ),
    },
  ];

  return (
    <div>
      <ErrorText error={error?.details ? null : error} />
      <DataTable label="People" rows={users} columns={columns} />
      <h3>Add a person</h3>
      <form className={styles.grid} onSubmit={add} aria-label="Add a person">
        <div className={styles.row}>
          <FormField label="Name" errors={errors.name} name="name" required />
          <FormField label="Email" errors={errors.email} name="email" type="email" required />
        </div>
        <div className={styles.row}>
          <FormField
            label="First password"
            hint="At least 12 characters; give it to them in person."
            errors={errors.password}
            name="password"
            type="password"
            autoComplete="new-password"
            required
          />
          <SelectField
            label="Role"
            errors={errors.role}
            name="role"
            defaultValue="editor"
            options={assignable.map((r) => ({ value: r, label: `${r} — ${ROLE_HELP[r]}` }))}
          />
        </div>
        <div>
          <button className="btn btn-primary" type="submit">
            Add person
          </button>
        </div>
      </form>
    </div>
  );
}
