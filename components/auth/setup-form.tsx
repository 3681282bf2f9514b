'use client';

import { useState, type FormEvent } from 'react';
import { callApi, fieldErrors, type ApiError } from '@/components/ui/api';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import styles from './auth.module.css';

/** First start: the owner's account; then signs in and goes on to set up two-factor sign-in. */
export function SetupForm() {
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      businessName: String(form.get('businessName')),
      name: String(form.get('name')),
      email: String(form.get('email')),
      password: String(form.get('password')),
    };
    if (body.password !== String(form.get('confirm'))) {
      setError({ message: 'the passwords differ', details: [{ path: 'confirm', message: 'type the same password twice' }] });
      return;
    }
    setBusy(true);
    const created = await callApi('/api/setup', { method: 'POST', json: body });
    if (!created.ok) {
      setBusy(false);
      setError(created.error);
      return;
    }
    const signedIn = await callApi('/api/auth/sign-in/email', { method: 'POST', json: { email: body.email, password: body.password } });
    if (!signedIn.ok) {
      setBusy(false);
      setError(signedIn.error);
      return;
    }
    window.location.assign('/two-factor');
  }

  return (
    <form className={styles.form} onSubmit={submit} noValidate>
      <FormField
        label="Business name"
        hint="As your texts name you: STOP, HELP and START answers start with it. You can change it later in Settings."
        errors={errors.businessName}
        name="businessName"
        autoComplete="organization"
        required
        maxLength={80}
      />
      <FormField label="Your name" errors={errors.name} name="name" autoComplete="name" required />
      <FormField label="Email" errors={errors.email} name="email" type="email" autoComplete="username" required />
      <FormField
        label="Password"
        hint="At least 12 characters."
        errors={errors.password}
        name="password"
        type="password"
        autoComplete="new-password"
        required
      />
      <FormField label="Password again" errors={errors.confirm} name="confirm" type="password" autoComplete="new-password" required />
      <ErrorText error={error?.details ? null : error} />
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create the owner account'}
      </button>
    </form>
  );
}
