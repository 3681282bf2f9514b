'use client';

import { assertNever } from '@/lib/flow/catalog';
import type { FlowNode } from '@/lib/flow/schema';
import type { VariableSuggestion } from '@/lib/editor/variables';
import { BranchCases, type Renamed } from './branch-cases';
import { DaysField, DurationField, ListField, SelectField, TextField } from './form-controls';
import { TemplateField } from './template-field';

type Loose = Record<string, unknown>;
/** Field errors by data path (`body`, `cases[0].handle`). */
export type FieldErrors = ReadonlyMap<string, string[]>;

const PURPOSES = [
  ['informational', 'Informational (account, bills, reminders)'],
  ['marketing', 'Marketing (offers, promotions)'],
] as const;
const OUTSIDE_HOURS = [
  ['defer', 'Hold until the window opens'],
  ['send', 'Send at once (only when it answers the contact)'],
] as const;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The form for a node's data: one per node type, every control labelled, errors inline. */
export function NodeForm({
  node,
  errors,
  variables,
  onChange,
}: {
  node: FlowNode;
  errors: FieldErrors;
  variables: readonly VariableSuggestion[];
  onChange: (data: unknown, field: string, renamed?: Renamed) => void;
}) {
  const d = (node.data ?? {}) as Loose;
  const e = (path: string) => errors.get(path);
  const set = (patch: Loose) => onChange({ ...d, ...patch }, Object.keys(patch).join(','));
  const without = (key: string, patch: Loose = {}) => {
    const next: Loose = { ...d, ...patch };
    delete next[key];
    onChange(next, key);
  };
  const body = (label = 'Message') => (
    <TemplateField
      label={label}
      value={str(d.body)}
      onChange={(v) => set({ body: v })}
      variables={variables}
      errors={e('body')}
      testId="field-body"
    />
  );
  const purpose = (
    <SelectField
      label="Purpose"
      value={d.purpose as 'informational' | 'marketing' | undefined}
      options={PURPOSES}
      onChange={(v) => set({ purpose: v })}
      errors={e('purpose')}
      testId="field-purpose"
    />
  );
  const outsideHours = (
    <SelectField
      label="Outside the allowed hours"
      value={(d.outsideHours as 'defer' | 'send' | undefined) ?? 'defer'}
      options={OUTSIDE_HOURS}
      onChange={(v) => (v === 'defer' ? without('outsideHours') : set({ outsideHours: v }))}
      errors={e('outsideHours')}
    />
  );

  switch (node.type) {
    case 'trigger': {
      const kinds = [
        ['manual', 'By hand'],
        ['api', 'From the API'],
        ['event', 'On an event'],
        ['keyword', 'When the contact texts a keyword'],
        ['schedule', 'On a schedule'],
      ] as const;
      const switchKind = (kind: (typeof kinds)[number][0]) => {
        const fresh: Record<string, Loose> = {
          manual: { kind },
          api: { kind },
          event: { kind, event: 'signup' },
          keyword: { kind, keywords: ['JOIN'] },
          schedule: { kind, at: '10:00' },
        };
        onChange(fresh[kind], 'kind');
      };
      return (
        <>
          <SelectField
            label="Starts"
            value={d.kind as (typeof kinds)[number][0]}
            options={kinds}
            onChange={switchKind}
            errors={e('kind')}
            testId="field-kind"
          />
          {d.kind === 'event' && (
            <TextField label="Event name" value={str(d.event)} onChange={(v) => set({ event: v })} errors={e('event')} />
          )}
          {d.kind === 'keyword' && (
            <ListField
              label="Keywords"
              value={d.keywords as string[]}
              onChange={(v) => set({ keywords: v ?? [] })}
              errors={e('keywords') ?? prefixed(errors, 'keywords')}
            />
          )}
          {d.kind === 'schedule' && (
            <>
              <TextField
                label="At (contact's local time)"
                type="time"
                value={str(d.at)}
                onChange={(v) => set({ at: v })}
                errors={e('at')}
              />
              <DaysField
                value={d.days as string[]}
                onChange={(v) => (v ? set({ days: v }) : without('days'))}
                errors={e('days') ?? prefixed(errors, 'days')}
              />
            </>
          )}
        </>
      );
    }
    case 'consent.request': {
      const modes = [
        ['explicit', 'Explicit: needs a YES'],
        ['notice', 'Notice: granted unless they decline (informational only)'],
      ] as const;
      const switchMode = (mode: 'explicit' | 'notice') => {
        const { timeout, noticePeriod, ...rest } = d;
        onChange(
          mode === 'explicit'
            ? { ...rest, mode, timeout: str(noticePeriod) || 'P2D' }
            : { ...rest, mode, noticePeriod: str(timeout) || 'P2D' },
          'mode',
        );
      };
      return (
        <>
          {purpose}
          <SelectField label="Mode" value={d.mode as 'explicit' | 'notice'} options={modes} onChange={switchMode} errors={e('mode')} />
          {body('Opt-in message')}
          {d.mode === 'explicit' ? (
            <DurationField label="Wait for YES for" value={str(d.timeout)} onChange={(v) => set({ timeout: v })} errors={e('timeout')} />
          ) : (
            <DurationField
              label="Notice period"
              value={str(d.noticePeriod)}
              onChange={(v) => set({ noticePeriod: v })}
              errors={e('noticePeriod')}
            />
          )}
        </>
      );
    }
    case 'consent.check':
      return purpose;
    case 'message.send':
      return (
        <>
          {purpose}
          {body()}
          {outsideHours}
        </>
      );
    case 'message.ask':
      return (
        <>
          {purpose}
          {body('Question')}
          <DurationField label="Wait for a reply for" value={str(d.timeout)} onChange={(v) => set({ timeout: v })} errors={e('timeout')} />
          {outsideHours}
        </>
      );
    case 'split': {
      const cases = Array.isArray(d.cases) ? (d.cases as Loose[]) : [];
      const ons = [
        ['reply', "The contact's reply"],
        ['variable', 'A variable'],
      ] as const;
      return (
        <>
          <SelectField
            label="Branch on"
            value={d.on as 'reply' | 'variable'}
            options={ons}
            onChange={(on) => {
              const { variable: _v, ...rest } = d;
              onChange(on === 'variable' ? { ...rest, on, variable: str(d.variable) || 'status' } : { ...rest, on }, 'on');
            }}
            errors={e('on')}
          />
          {d.on === 'variable' && (
            <TextField label="Variable (vars.…)" value={str(d.variable)} onChange={(v) => set({ variable: v })} errors={e('variable')} />
          )}
          <BranchCases
            cases={cases}
            subject={d.on === 'variable' ? `vars.${str(d.variable) || '…'}` : 'the reply'}
            errors={errors}
            onChange={(next, field, renamed) => onChange({ ...d, cases: next }, field, renamed)}
          />
        </>
      );
    }
    case 'wait.delay':
      return <DurationField label="Wait for" value={str(d.duration)} onChange={(v) => set({ duration: v })} errors={e('duration')} />;
    case 'wait.window':
      return (
        <>
          <div className="inline-fields">
            <TextField label="From" type="time" value={str(d.from)} onChange={(v) => set({ from: v })} errors={e('from')} />
            <TextField label="To" type="time" value={str(d.to)} onChange={(v) => set({ to: v })} errors={e('to')} />
          </div>
          <DaysField
            value={d.days as string[]}
            onChange={(v) => (v ? set({ days: v }) : without('days'))}
            errors={e('days') ?? prefixed(errors, 'days')}
          />
        </>
      );
    case 'verify.identity': {
      const methods = [
        ['otp', 'One-time code by text'],
        ['zip', 'ZIP code on the account'],
        ['dob', 'Date of birth on the account'],
      ] as const;
      return (
        <>
          <SelectField
            label="Method"
            value={d.method as 'otp' | 'zip' | 'dob'}
            options={methods}
            onChange={(v) => set({ method: v })}
            errors={e('method')}
            testId="field-method"
          />
          {body()}
          <TextField
            label="Attempts allowed"
            type="number"
            value={d.maxAttempts === undefined ? '' : String(d.maxAttempts)}
            onChange={(v) => set({ maxAttempts: /^\d+$/.test(v) ? Number(v) : v })}
            errors={e('maxAttempts')}
          />
          <DurationField
            label="Wait for an answer for"
            value={str(d.timeout)}
            onChange={(v) => set({ timeout: v })}
            errors={e('timeout')}
          />
        </>
      );
    }
    case 'payment.request':
      return (
        <>
          <AmountField value={d.amount} onChange={(v) => set({ amount: v })} errors={e('amount')} />
          <TextField
            label="Currency"
            value={str(d.currency)}
            onChange={(v) => set({ currency: v.toLowerCase() })}
            errors={e('currency')}
            hint="Three letters, like usd"
          />
          <TemplateField
            label="Description (on the payment page)"
            value={str(d.description)}
            onChange={(v) => set({ description: v })}
            variables={variables}
            errors={e('description')}
            rows={1}
            counter={false}
          />
          {body('Message with the link (must contain {{payment.link}})')}
          <DurationField
            label="The link expires after"
            value={str(d.expiresIn)}
            onChange={(v) => set({ expiresIn: v })}
            errors={e('expiresIn')}
          />
        </>
      );
    case 'variable.set': {
      const entries = d.assign && typeof d.assign === 'object' ? Object.entries(d.assign as Record<string, string>) : [];
      const write = (next: [string, string][]) => onChange({ ...d, assign: Object.fromEntries(next) }, 'assign');
      return (
        <fieldset className="field">
          <legend className="field-label">Variables to set</legend>
          {entries.map(([name, value], i) => (
            <div className="case-row" key={i}>
              <TextField
                label={`Name ${i + 1} (vars.…)`}
                value={name}
                onChange={(v) => write(entries.map((en, j) => (j === i ? [v, en[1]] : en)))}
                errors={prefixed(errors, `assign`)}
              />
              <TemplateField
                label={`Value ${i + 1}`}
                value={value}
                onChange={(v) => write(entries.map((en, j) => (j === i ? [en[0], v] : en)))}
                variables={variables}
                rows={1}
                counter={false}
                errors={e(`assign.${name}`)}
              />
              <button type="button" className="btn btn-small" onClick={() => write(entries.filter((_, j) => j !== i))}>
                Remove {name || `variable ${i + 1}`}
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => write([...entries, [`value_${entries.length + 1}`, '']])}>
            Add variable
          </button>
        </fieldset>
      );
    }
    case 'end':
      return <p className="panel-hint">Nothing to set: the run ends here.</p>;
    default:
      return assertNever(node);
  }
}

/** Errors of a field and everything under it (`keywords[1]`, …). */
function prefixed(errors: FieldErrors, path: string): string[] | undefined {
  const out: string[] = [];
  for (const [k, v] of errors) if (k === path || k.startsWith(`${path}[`) || k.startsWith(`${path}.`)) out.push(...v);
  return out.length ? out : undefined;
}

function AmountField({ value, onChange, errors }: { value: unknown; onChange: (v: number | string) => void; errors?: string[] }) {
  return (
    <TextField
      label="Amount"
      value={typeof value === 'number' ? String(value) : str(value)}
      onChange={(v) => onChange(/^\d+(\.\d{1,2})?$/.test(v.trim()) ? Number(v.trim()) : v)}
      errors={errors}
      hint="A number like 42.50, or a variable like {{vars.amount_due}}"
      testId="field-amount"
    />
  );
}
