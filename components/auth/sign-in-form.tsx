'use client';

import { useState, type FormEvent } from 'react';
import { callApi, type ApiError } from '@/components/ui/api';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import styles from './auth.module.css';

/** better-auth's answer to a page served at an origin it does not trust, said so the person running Optline can fix it. */
function refusedOrigin(error: ApiError, publicUrl: string): ApiError {
  if (error.message !== 'Invalid origin') return error;
  const here = window.location.origin;
  return {
    message: `This page was opened at ${here}, but sign-in accepts only ${publicUrl} (PUBLIC_URL). Set PUBLIC_URL=${here}, the address people open, and restart Optline.`,
  };
}

/** Email and password, then (when the account has it) the authenticator code or a backup code. */
export function SignInForm({ next, publicUrl }: { next: string; publicUrl: string }) {
  const [step, setStep] = useState<'password' | 'code' | 'backup'>('password');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const done = () => window.location.assign(next);

  async function signIn(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await callApi<{ twoFactorRedirect?: boolean }>('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: String(form.get('email')), password: String(form.get('password')) },
    });
    setBusy(false);
    if (!res.ok) {
      setError(
        res.status === 429
          ? { message: 'Too many attempts. Wait a minute, then try again.' }
          : res.status === 401
            ? { message: 'That email and password do not match an account.' }
            : refusedOrigin(res.error, publicUrl),
      );
      return;
    }
    if (res.body.twoFactorRedirect) setStep('code');
    else done();
  }

  async function verify(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code')).replace(/\s+/g, '');
    setBusy(true);
    setError(null);
    const res = await callApi(step === 'code' ? '/api/auth/two-factor/verify-totp' : '/api/auth/two-factor/verify-backup-code', {
      method: 'POST',
      json: { code },
    });
    setBusy(false);
    if (!res.ok) {
      setError(
        res.status === 429
          ? { message: 'Too many attempts. Wait a minute, then try again.' }
          : {
              message:
                step === 'code'
                  ? 'That code is not right. Codes change every 30 seconds.'
                  : 'That backup code is not right or was used before.',
            },
      );
      return;
    }
    done();
  }

  if (step === 'password') {
    return (
      <form className={styles.form} onSubmit={signIn}>
        <FormField label="Email" name="email" type="email" autoComplete="username" required />
        <FormField label="Password" name="password" type="password" autoComplete="current-password" required />
        <ErrorText error={error} />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    );
  }
  return (
    <form className={styles.form} onSubmit={verify} key={step}>
      {step === 'code' ? (
        <FormField
          label="Authenticator code"
          hint="The 6-digit code your authenticator app shows for Optline."
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]*"
          required
          autoFocus
        />
      ) : (
        <FormField
          label="Backup code"
          hint="One of the backup codes you saved when you set up two-factor sign-in. Each works once."
          name="code"
          autoComplete="off"
          required
          autoFocus
        />
      )}
      <ErrorText error={error} />
      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
      <button type="button" className="link-button" onClick={() => setStep(step === 'code' ? 'backup' : 'code')}>
        {step === 'code' ? 'Use a backup code instead' : 'Use the authenticator code instead'}
      </button>
    </form>
  );
}
