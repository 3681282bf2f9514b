'use client';

import { useState, type FormEvent } from 'react';
import { callApi, fieldErrors, type ApiError } from '@/components/ui/api';
import { Field } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import styles from './admin.module.css';

export interface SettingsValues {
  brand: string;
  helpText: string;
  stopConfirmationText: string;
  startConfirmationText: string;
  pausedMarketingStates: string[];
}

/** Brand and keyword replies (owner, admin), and the owner-only switch pausing marketing to states. */
export function SettingsForm({ initial, canEdit, canPauseStates }: { initial: SettingsValues; canEdit: boolean; canPauseStates: boolean }) {
  const [values, setValues] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const errors = fieldErrors(error);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const states = String(form.get('pausedMarketingStates') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    const body = {
      brand: String(form.get('brand')),
      helpText: String(form.get('helpText')),
      stopConfirmationText: String(form.get('stopConfirmationText')),
      startConfirmationText: String(form.get('startConfirmationText')),
      ...(canPauseStates ? { pausedMarketingStates: states } : {}),
    };
    const res = await callApi<{ settings: SettingsValues }>('/api/settings', { method: 'PATCH', json: body });
    if (!res.ok) {
      setSaved(false);
      return setError(res.error);
    }
    setError(null);
    setSaved(true);
    setValues(res.body.settings);
  }

  const pathErrors = (name: string) =>
    Object.entries(errors)
      .filter(([k]) => k === name || k.startsWith(`${name}[`))
      .flatMap(([, v]) => v);

  return (
    <form className={styles.grid} onSubmit={save} aria-label="Settings" onChange={() => setSaved(false)}>
      <fieldset disabled={!canEdit} className={styles.grid} style={{ border: 0, padding: 0, margin: 0 }}>
        <FormField
          label="Brand"
          hint="Starts every HELP answer; flows name their own brand too."
          errors={pathErrors('brand')}
          name="brand"
          defaultValue={values.brand}
          maxLength={80}
        />
        <Field label="HELP answer" hint="Sent when someone texts HELP. Must say how to opt out." errors={pathErrors('helpText')}>
          {(p) => <textarea {...p} name="helpText" defaultValue={values.helpText} rows={2} maxLength={320} />}
        </Field>
        <Field
          label="STOP confirmation"
          hint="One text confirming the opt-out: no marketing, no links (47 CFR 64.1200(a)(12))."
          errors={pathErrors('stopConfirmationText')}
        >
          {(p) => <textarea {...p} name="stopConfirmationText" defaultValue={values.stopConfirmationText} rows={2} maxLength={160} />}
        </Field>
        <Field
          label="START confirmation"
          hint="Sent when someone opts back in. Must say how to opt out again."
          errors={pathErrors('startConfirmationText')}
        >
          {(p) => <textarea {...p} name="startConfirmationText" defaultValue={values.startConfirmationText} rows={2} maxLength={320} />}
        </Field>
      </fieldset>
      <Field
        label="Pause all marketing to these states"
        hint={
          canPauseStates
            ? 'Two-letter codes, e.g. LA during a declared emergency. Every marketing text to a contact who may be there is held at send time; informational texts still go.'
            : 'Only the owner can change this.'
        }
        errors={pathErrors('pausedMarketingStates')}
      >
        {(p) => (
          <input {...p} name="pausedMarketingStates" defaultValue={values.pausedMarketingStates.join(', ')} disabled={!canPauseStates} />
        )}
      </Field>
      {error && !error.details && !error.path && (
        <p className="text-error" role="alert">
          {error.message}
        </p>
      )}
      {saved && <p role="status">Saved.</p>}
      {(canEdit || canPauseStates) && (
        <div>
          <button className="btn btn-primary" type="submit">
            Save settings
          </button>
        </div>
      )}
    </form>
  );
}
