'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import styles from './sandbox-phone.module.css';

/** Texts from a number to the business through POST /api/sandbox/inbound (the inbound webhook's path); `from` absent: a field asks for the number. */
export function PhoneReply({ from, label }: { from?: string; label: string }) {
  const router = useRouter();
  const [number, setNumber] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/sandbox/inbound', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: from ?? number, body }),
      });
      if (!res.ok) {
        const answer = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(answer?.error?.message ?? `The server answered ${res.status}; the text was not sent.`);
        return;
      }
      setBody('');
      router.refresh();
    } catch {
      setError('The server could not be reached; the text was not sent.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={from ? styles.reply : styles.newText} onSubmit={send} aria-label={label}>
      {!from && (
        <label className="field">
          <span className="field-label">From the number</span>
          <input
            name="from"
            type="tel"
            value={number}
            disabled={busy}
            onChange={(e) => setNumber(e.target.value)}
            placeholder="(312) 555-0142"
          />
        </label>
      )}
      <input
        aria-label={from ? `Text from ${from}` : 'Text'}
        name="body"
        value={body}
        disabled={busy}
        maxLength={1600}
        onChange={(e) => setBody(e.target.value)}
        placeholder="Type a text"
      />
      <button type="submit" className="btn btn-primary" disabled={busy || body.trim() === '' || (!from && number.trim() === '')}>
        Send
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
