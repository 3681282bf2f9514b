'use client';

import QRCode from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { callApi, type ApiError } from '@/components/ui/api';
import { ErrorText } from '@/components/ui/error-text';
import { FormField } from '@/components/ui/form-field';
import styles from './auth.module.css';

/**
 * Two-factor enrolment: confirm the password, scan the QR code (or type the
 * secret) into an authenticator app, save the backup codes, and prove it
 * works with one code. Two-factor is on only after that code.
 */
export function TwoFactorEnrol({ required }: { required: boolean }) {
  const [setup, setSetup] = useState<{ uri: string; secret: string; backupCodes: string[] } | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!setup) return;
    let live = true;
    void QRCode.toDataURL(setup.uri, { margin: 1, width: 200 }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [setup]);

  async function start(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await callApi<{ totpURI: string; backupCodes: string[] }>('/api/auth/two-factor/enable', {
      method: 'POST',
      json: { password: String(new FormData(e.currentTarget).get('password')) },
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.status === 400 || res.status === 401 ? { message: 'That password is not right.' } : res.error);
      return;
    }
    setSetup({
      uri: res.body.totpURI,
      secret: new URL(res.body.totpURI).searchParams.get('secret') ?? '',
      backupCodes: res.body.backupCodes,
    });
  }

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const code = String(new FormData(e.currentTarget).get('code')).replace(/\s+/g, '');
    const res = await callApi('/api/auth/two-factor/verify-totp', { method: 'POST', json: { code } });
    setBusy(false);
    if (!res.ok) {
      setError({ message: 'That code is not right. Check the time on your phone; codes change every 30 seconds.' });
      return;
    }
    window.location.assign('/');
  }

  if (!setup) {
    return (
      <form className={styles.form} onSubmit={start}>
        <p>
          {required
            ? 'Your role approves or administers flows, so Optline asks for a second step at every sign-in: '
            : 'Add a second step at sign-in: '}
          a code from an authenticator app (Google Authenticator, 1Password, Authy, …).
        </p>
        <FormField label="Your password" name="password" type="password" autoComplete="current-password" required />
        <ErrorText error={error} />
        <button className="btn btn-primary" type="submit" disabled={busy}>
          Continue
        </button>
      </form>
    );
  }
  return (
    <form className={styles.form} onSubmit={confirm}>
      <ol className={styles.steps}>
        <li>Scan this code with your authenticator app, or type the secret key.</li>
      </ol>
      {qr ? (
        <img className={styles.qr} src={qr} alt="QR code to add Optline to an authenticator app" />
      ) : (
        <div className={styles.qr} aria-hidden />
      )}
      <div>
        <div className="field-label">Secret key</div>
        <div className={styles.secret} data-testid="totp-secret">
          {setup.secret}
        </div>
      </div>
      <ol className={styles.steps} start={2}>
        <li>Save these backup codes somewhere safe. Each one signs you in once if you lose your phone.</li>
      </ol>
      <ul className={styles.codes} aria-label="Backup codes">
        {setup.backupCodes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <ol className={styles.steps} start={3}>
        <li>Type the code the app shows now.</li>
      </ol>
      <FormField label="Authenticator code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
      <ErrorText error={error} />
      <button className="btn btn-primary" type="submit" disabled={busy}>
        Turn on two-factor sign-in
      </button>
    </form>
  );
}
