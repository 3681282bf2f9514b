'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Field } from '@/components/ui/field';
import styles from './add-contact.module.css';
import panel from './contacts.module.css';
import { errorsByField, newContactBody, type NewContactForm } from './new-contact';

type Outcome =
  | { kind: 'idle' }
  | { kind: 'saving' }
  | { kind: 'added'; id: string; phone: string }
  | { kind: 'error'; fields: Record<string, string[]> };

const EMPTY: NewContactForm = {
  phone: '',
  name: '',
  zone: '',
  withConsent: true,
  purpose: 'informational',
  source: 'web_form',
  channel: '',
  text: '',
  consentAt: '',
};

/** "Add a contact": one contact with the evidence of their consent (purpose, the exact words, when, how), checked by POST /api/contacts. */
export function AddContactPanel() {
  const router = useRouter();
  const [form, setForm] = useState<NewContactForm>(EMPTY);
  // The datetime-local input's text (the browser's zone); turned into an instant when sent.
  const [when, setWhen] = useState('');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const set = <K extends keyof NewContactForm>(key: K, value: NewContactForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errors = outcome.kind === 'error' ? outcome.fields : {};

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const at = when ? new Date(when) : null;
    if (form.withConsent && (!at || Number.isNaN(at.getTime()))) {
      setOutcome({ kind: 'error', fields: { consentAt: ['give when they agreed'] } });
      return;
    }
    setOutcome({ kind: 'saving' });
    let res: Response;
    try {
      res = await fetch('/api/contacts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newContactBody({ ...form, consentAt: at ? at.toISOString() : '' })),
      });
    } catch {
      setOutcome({ kind: 'error', fields: { form: ['The server could not be reached; the contact was not added.'] } });
      return;
    }
    const body = (await res.json().catch(() => null)) as {
      contact?: { id: string; phone: string };
      error?: { message: string; path?: string; details?: { path: string; message: string }[] };
    } | null;
    if (res.ok && body?.contact) {
      setOutcome({ kind: 'added', id: body.contact.id, phone: body.contact.phone });
      setForm(EMPTY);
      setWhen('');
      router.refresh();
      return;
    }
    setOutcome({
      kind: 'error',
      fields: errorsByField(body?.error ?? { message: `The server answered ${res.status}; the contact was not added.` }),
    });
  };

  const busy = outcome.kind === 'saving';
  return (
    <section className={panel.panel} aria-labelledby="add-contact-heading">
      <h2 id="add-contact-heading">Add a contact</h2>
      <p className={panel.panelHint}>
        One person at a time, with the evidence of their consent: what they agreed to receive, the exact words they agreed to, when and how.
        The evidence goes into the consent ledger, which cannot be edited afterwards.
      </p>
      <form className={styles.form} onSubmit={submit} noValidate aria-labelledby="add-contact-heading">
        <Field label="Phone number" hint="US numbers need no +1." errors={errors.phone}>
          {(p) => (
            <input
              {...p}
              name="phone"
              type="tel"
              autoComplete="off"
              value={form.phone}
              disabled={busy}
              onChange={(e) => set('phone', e.target.value)}
            />
          )}
        </Field>
        <Field label="Name (optional)" errors={errors.name}>
          {(p) => <input {...p} name="name" value={form.name} disabled={busy} onChange={(e) => set('name', e.target.value)} />}
        </Field>
        <Field label="Time zone (optional)" hint="Like America/Chicago; otherwise read from the number." errors={errors.zone}>
          {(p) => <input {...p} name="zone" value={form.zone} disabled={busy} onChange={(e) => set('zone', e.target.value)} />}
        </Field>
        <label className={styles.check}>
          <input type="checkbox" checked={form.withConsent} disabled={busy} onChange={(e) => set('withConsent', e.target.checked)} />
          They agreed to receive texts (record the evidence now)
        </label>
        {form.withConsent && (
          <fieldset className={styles.consent}>
            <legend>Consent evidence</legend>
            <Field label="What they agreed to receive" errors={errors.purpose}>
              {(p) => (
                <select
                  {...p}
                  name="purpose"
                  value={form.purpose}
                  disabled={busy}
                  onChange={(e) => set('purpose', e.target.value as NewContactForm['purpose'])}
                >
                  <option value="informational">Informational texts (reminders, notices, bills)</option>
                  <option value="marketing">Marketing texts (offers, promotions)</option>
                </select>
              )}
            </Field>
            <Field label="When they agreed" errors={errors.consentAt}>
              {(p) => (
                <input
                  {...p}
                  name="consentAt"
                  type="datetime-local"
                  value={when}
                  disabled={busy}
                  onChange={(e) => setWhen(e.target.value)}
                />
              )}
            </Field>
            <Field label="How they agreed" errors={errors.source}>
              {(p) => (
                <select
                  {...p}
                  name="source"
                  value={form.source}
                  disabled={busy}
                  onChange={(e) => set('source', e.target.value as NewContactForm['source'])}
                >
                  <option value="web_form">A form (web or paper)</option>
                  <option value="keyword">Texted a keyword</option>
                  <option value="reply">Replied to a text</option>
                  <option value="api">Another system</option>
                </select>
              )}
            </Field>
            <Field label="Channel" hint="Where they saw the words." errors={errors.channel}>
              {(p) => (
                <select
                  {...p}
                  name="channel"
                  value={form.channel}
                  disabled={busy}
                  onChange={(e) => set('channel', e.target.value as NewContactForm['channel'])}
                >
                  <option value="">As the way they agreed implies</option>
                  <option value="web">Web</option>
                  <option value="sms">Text message</option>
                  <option value="paper">Paper</option>
                  <option value="voice">Phone call</option>
                  <option value="email">Email</option>
                  <option value="api">Another system</option>
                </select>
              )}
            </Field>
            <div className={styles.wide}>
              <Field label="The exact words they agreed to" hint="As shown to them, word for word." errors={errors.text}>
                {(p) => <textarea {...p} name="text" value={form.text} disabled={busy} onChange={(e) => set('text', e.target.value)} />}
              </Field>
            </div>
          </fieldset>
        )}
        <div className={styles.actions}>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add contact'}
          </button>
          {outcome.kind === 'added' && (
            <p role="status">
              Added <Link href={`/contacts/${outcome.id}`}>{outcome.phone}</Link>.
            </p>
          )}
          {errors.form && (
            <p className="field-error" role="alert">
              {errors.form.join(' · ')}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}
