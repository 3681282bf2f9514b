'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { ErrorText } from '@/components/ui/error-text';
import { useApiRequest } from '@/components/ui/use-api-request';
import styles from './campaigns.module.css';

/** What the form offers (lib/data `campaignsPage`). */
export interface CampaignFormChoices {
  flows: { id: string; name: string }[];
  segments: { id: string; name: string }[];
  imports: { id: string; label: string }[];
}

/**
 * A new campaign: a flow (its active, approved version), an audience (a
 * segment or one CSV import), when (now, or a time in each contact's own
 * zone on a date), run variables from attributes, and a pace. Saved as a
 * draft, then previewed on its page before launch.
 */
export function NewCampaignForm({ choices, segmentId }: { choices: CampaignFormChoices; segmentId?: string }) {
  const router = useRouter();
  const { loading, error, request } = useApiRequest();
  const [name, setName] = useState('');
  const [flowId, setFlowId] = useState(choices.flows[0]?.id ?? '');
  const [audience, setAudience] = useState(
    segmentId ? `segment:${segmentId}` : choices.segments[0] ? `segment:${choices.segments[0].id}` : '',
  );
  const [when, setWhen] = useState<'now' | 'local'>('now');
  const [date, setDate] = useState('');
  const [at, setAt] = useState('08:00');
  const [variables, setVariables] = useState('');
  const [pace, setPace] = useState(1);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const [kind, id] = audience.split(':');
    const vars = Object.fromEntries(
      variables
        .split(',')
        .map((pair) => pair.split('=').map((s) => s.trim()))
        .filter((p) => p.length === 2 && p[0] && p[1]),
    );
    const answer = await request<{ campaign: { id: string } }>('/api/campaigns', {
      method: 'POST',
      json: {
        name,
        flowId,
        audience: kind === 'segment' ? { segmentId: id } : { importId: id },
        schedule: when === 'now' ? { kind: 'now' } : { kind: 'local', date, at },
        variables: vars,
        pacePerSecond: pace,
      },
    });
    if (answer) router.push(`/campaigns/${answer.campaign.id}`);
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-label="New campaign">
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      </label>
      <label>
        Flow{' '}
        <select value={flowId} onChange={(e) => setFlowId(e.target.value)}>
          {choices.flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Audience{' '}
        <select value={audience} onChange={(e) => setAudience(e.target.value)}>
          {choices.segments.map((s) => (
            <option key={s.id} value={`segment:${s.id}`}>
              Segment: {s.name}
            </option>
          ))}
          {choices.imports.map((i) => (
            <option key={i.id} value={`import:${i.id}`}>
              Import: {i.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>When</legend>
        <label>
          <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} /> Now (each text still waits for the
          contact’s allowed hours)
        </label>
        <label>
          <input type="radio" name="when" checked={when === 'local'} onChange={() => setWhen('local')} /> At{' '}
          <input aria-label="Local time" value={at} onChange={(e) => setAt(e.target.value)} size={5} /> in each contact’s own time zone on{' '}
          <input aria-label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
      </fieldset>
      <label>
        Run variables from attributes{' '}
        <input value={variables} onChange={(e) => setVariables(e.target.value)} placeholder="amount_due=amount_due, plan=plan" />
      </label>
      <label>
        Pace (texts a second) <input type="number" min={1} max={1000} value={pace} onChange={(e) => setPace(Number(e.target.value))} />
      </label>
      <p className="muted">
        The default, 1 text a second, suits a US long code on a new 10DLC registration; raise it to what your Twilio numbers are registered
        for.
      </p>
      <button type="submit" className="btn btn-primary" disabled={loading}>
        Create draft
      </button>
      <ErrorText error={error ? { message: `${error.path ? `${error.path}: ` : ''}${error.message}` } : null} />
    </form>
  );
}
