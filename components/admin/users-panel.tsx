'use client';

import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@/lib/access/roles';
import { callApi, fieldErrors, type ApiError } from '@/components/ui/api';
import { Field } from '@/components/ui/field';
import styles from './admin.module.css';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  twoFactorEnabled: boolean;
}

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
  const [error, setError] = useState<ApiError | null>(null);
  const errors = fieldErrors(error);
  const assignable = ROLES.filter((r) => r !== 'owner' && (r !== 'admin' || myRole === 'owner'));

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const res = await callApi<{ user: UserRow }>('/api/users', {
      method: 'POST',
      json: {
        name: String(form.get('name')),
        email: String(form.get('email')),
        password: String(form.get('password')),
        role: String(form.get('role')),
      },
    });
    if (!res.ok) return setError(res.error);
    setError(null);
    setUsers((u) => [...u, res.body.user]);
    formEl.reset();
  }

  async function change(id: string, body: { role: Role } | { disabled: boolean }) {
    const res = await callApi<{ user: UserRow }>(`/api/users/${id}`, { method: 'PATCH', json: body });
    if (!res.ok) return setError(res.error);
    setError(null);
    setUsers((u) => u.map((x) => (x.id === id ? res.body.user : x)));
  }

  return (
    <div>
      {error && !error.details && (
        <p className="text-error" role="alert">
          {error.message}
        </p>
      )}
      <table className="table" aria-label="People">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const locked = u.role === 'owner' || u.id === me || (u.role === 'admin' && myRole !== 'owner');
            return (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  {locked ? (
                    u.role
                  ) : (
                    <select
                      aria-label={`Role of ${u.name}`}
                      value={u.role}
                      onChange={(e) => change(u.id, { role: e.target.value as Role })}
                    >
                      {assignable.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{u.twoFactorEnabled ? 'on' : <span className="muted">off</span>}</td>
                <td>
                  {u.disabled ? 'disabled' : 'active'}{' '}
                  {!locked && (
                    <button type="button" className="btn btn-small" onClick={() => change(u.id, { disabled: !u.disabled })}>
                      {u.disabled ? 'Enable' : 'Disable'} <span className="visually-hidden">{u.name}</span>
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Add a person</h3>
      <form className={styles.grid} onSubmit={add} aria-label="Add a person">
        <div className={styles.row}>
          <Field label="Name" errors={errors.name}>
            {(p) => <input {...p} name="name" required />}
          </Field>
          <Field label="Email" errors={errors.email}>
            {(p) => <input {...p} name="email" type="email" required />}
          </Field>
        </div>
        <div className={styles.row}>
          <Field label="First password" hint="At least 12 characters; give it to them in person." errors={errors.password}>
            {(p) => <input {...p} name="password" type="password" autoComplete="new-password" required />}
          </Field>
          <Field label="Role" errors={errors.role}>
            {(p) => (
              <select {...p} name="role" defaultValue="editor">
                {assignable.map((r) => (
                  <option key={r} value={r}>
                    {r} — {ROLE_HELP[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
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
