'use client';

import { useState, type FormEvent } from 'react';
import { fieldErrors } from '@/components/ui/api';
import { ErrorText } from '@/components/ui/error-text';
import { Field } from '@/components/ui/field';
import { FormField } from '@/components/ui/form-field';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './admin.module.css';

export interface SettingsValues {
  brand: string;
  helpText: string;
  stopConfirmationText: string;
  startConfirmationText: string;
  pausedMarketingStates: string[];
}

/** The runtime's answers to HELP, STOP and START, as the form edits them. */
const KEYWORD_TEXTS = [
  { name: 'helpText', label: 'HELP answer', hint: 'Sent when someone texts HELP. Must say how to opt out.', maxLength: 320 },
  {
    name: 'stopConfirmationText',
    label: 'STOP confirmation',
    hint: 'One text confirming the opt-out: no marketing, no links (47 CFR 64.1200(a)(12)).',
    maxLength: 160,
  },
  {
    name: 'startConfirmationText',
    label: 'START confirmation',
    hint: 'Sent when someone opts back in. Must say how to opt out again.',
    maxLength: 320,
  },
] as const;

/** Brand and keyword replies (owner, admin), and the owner-only switch pausing marketing to states. */
export function SettingsForm({ initial, canEdit, canPauseStates }: { initial: SettingsValues; canEdit: boolean; canPauseStates: boolean }) {
  const [values, setValues] = useState(initial);
  const { error, request } = useApiRequest();
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
      ...Object.fromEntries(KEYWORD_TEXTS.map((t) => [t.name, String(form.get(t.name))])),
      ...(canPauseStates ? { pausedMarketingStates: states } : {}),
    };
    const answer = await request<{ settings: SettingsValues }>('/api/settings', { method: 'PATCH', json: body });
    setSaved(answer !== undefined);
    if (answer) setValues(answer.settings);
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
        {KEYWORD_TEXTS.map((t) => (
          <Field key={t.name} label={t.label} hint={t.hint} errors={pathErrors(t.name)}>
            {(p) => <textarea {...p} name={t.name} defaultValue={values[t.name]} rows={2} maxLength={t.maxLength} />}
          </Field>
        ))}
      </fieldset>
      <FormField
        label="Pause all marketing to these states"
        hint={
          canPauseStates
            ? 'Two-letter codes, e.g. LA during a declared emergency. Every marketing text to a contact who may be there is held at send time; informational texts still go.'
            : 'Only the owner can change this.'
        }
        errors={pathErrors('pausedMarketingStates')}
        name="pausedMarketingStates"
        defaultValue={values.pausedMarketingStates.join(', ')}
        disabled={!canPauseStates}
      />
      <ErrorText error={error?.details || error?.path ? null : error} />
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
