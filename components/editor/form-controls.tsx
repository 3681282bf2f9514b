'use client';

import { useEffect, useState } from 'react';
import { parseDuration } from '@/lib/flow/duration';
import { DAYS } from '@/lib/flow/time-of-day';
import { Field } from '@/components/ui/field';

type Unit = 'minutes' | 'hours' | 'days' | 'weeks';
const UNIT_MINUTES: Record<Unit, number> = { minutes: 1, hours: 60, days: 1440, weeks: 10080 };

function splitDuration(iso: string): { amount: string; unit: Unit } | null {
  const ms = parseDuration(iso);
  if (ms === null) return null;
  const minutes = ms / 60_000;
  for (const unit of ['weeks', 'days', 'hours', 'minutes'] as const) {
    if (minutes > 0 && minutes % UNIT_MINUTES[unit] === 0) return { amount: String(minutes / UNIT_MINUTES[unit]), unit };
  }
  return null;
}

function toIso(amount: string, unit: Unit): string {
  if (!/^\d+$/.test(amount) || Number(amount) === 0) return '';
  const n = Number(amount);
  return unit === 'minutes' ? `PT${n}M` : unit === 'hours' ? `PT${n}H` : unit === 'days' ? `P${n}D` : `P${n}W`;
}

/** A duration as a number and a unit; stored as ISO 8601 (PT30M, PT2H, P3D, P1W). */
export function DurationField({
  label,
  value,
  onChange,
  errors,
  hint,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  errors?: readonly string[];
  hint?: string;
}) {
  const parsed = splitDuration(value);
  const [amount, setAmount] = useState(parsed?.amount ?? '');
  const [unit, setUnit] = useState<Unit>(parsed?.unit ?? 'days');
  // Follow the document when it changes from elsewhere (undo, another node).
  useEffect(() => {
    const p = splitDuration(value);
    if (p && toIso(amount, unit) !== value) {
      setAmount(p.amount);
      setUnit(p.unit);
    }
  }, [value]);
  return (
    <Field label={label} errors={errors} hint={hint ?? (value ? `Stored as ${value}` : undefined)}>
      {(props) => (
        <div className="inline-fields">
          <input
            {...props}
            type="number"
            min={1}
            inputMode="numeric"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              onChange(toIso(e.target.value, unit));
            }}
          />
          <select
            aria-label={`${label}: unit`}
            value={unit}
            onChange={(e) => {
              const u = e.target.value as Unit;
              setUnit(u);
              onChange(toIso(amount, u));
            }}
          >
            {(Object.keys(UNIT_MINUTES) as Unit[]).map((u) => (
              <option key={u} value={u}>
                {u}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}

/** A list typed as comma-separated words (keywords, reply texts). */
export function ListField({
  label,
  value,
  onChange,
  errors,
  hint,
  testId,
}: {
  label: string;
  value: readonly string[] | undefined;
  onChange: (list: string[] | undefined) => void;
  errors?: readonly string[];
  hint?: string;
  testId?: string;
}) {
  const joined = (value ?? []).join(', ');
  const [text, setText] = useState(joined);
  useEffect(() => {
    if (parseList(text).join(', ') !== joined) setText(joined);
  }, [joined]);
  return (
    <Field label={label} errors={errors} hint={hint ?? 'Separate with commas'}>
      {(props) => (
        <input
          {...props}
          type="text"
          value={text}
          data-testid={testId}
          onChange={(e) => {
            setText(e.target.value);
            const list = parseList(e.target.value);
            onChange(list.length > 0 ? list : undefined);
          }}
        />
      )}
    </Field>
  );
}

/** Comma-separated words → the list (blanks dropped). */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Days of the week as checkboxes; none ticked means every day. */
export function DaysField({
  value,
  onChange,
  errors,
}: {
  value: readonly string[] | undefined;
  onChange: (days: string[] | undefined) => void;
  errors?: readonly string[];
}) {
  const set = new Set(value ?? []);
  return (
    <fieldset className={`field days${errors?.length ? ' has-error' : ''}`}>
      <legend className="field-label">Days (none ticked: every day)</legend>
      <div className="day-row">
        {DAYS.map((d) => (
          <label key={d} className="day">
            <input
              type="checkbox"
              checked={set.has(d)}
              onChange={(e) => {
                const next = new Set(set);
                if (e.target.checked) next.add(d);
                else next.delete(d);
                const list = DAYS.filter((x) => next.has(x));
                onChange(list.length > 0 ? list : undefined);
              }}
            />
            {d}
          </label>
        ))}
      </div>
      {errors?.length ? <p className="field-error">{errors.join(' · ')}</p> : null}
    </fieldset>
  );
}

/** A select over fixed options. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onChange,
  errors,
  hint,
  testId,
}: {
  label: string;
  value: T | undefined;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
  errors?: readonly string[];
  hint?: string;
  testId?: string;
}) {
  return (
    <Field label={label} errors={errors} hint={hint}>
      {(props) => (
        <select {...props} value={value ?? ''} data-testid={testId} onChange={(e) => onChange(e.target.value as T)}>
          {value === undefined && <option value="">Choose…</option>}
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A one-line text input. */
export function TextField({
  label,
  value,
  onChange,
  errors,
  hint,
  type = 'text',
  testId,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors?: readonly string[];
  hint?: string;
  type?: 'text' | 'time' | 'number';
  testId?: string;
  placeholder?: string;
}) {
  return (
    <Field label={label} errors={errors} hint={hint}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={value}
          placeholder={placeholder}
          data-testid={testId}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
