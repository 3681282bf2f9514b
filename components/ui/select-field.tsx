import type { ReactNode, SelectHTMLAttributes } from 'react';
import { Field } from './field';

/** One choice of a {@link SelectField}. */
export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A labelled `<select>` over a list of options, with an optional first option
 * that chooses nothing (value "") such as "Any status".
 */
export function SelectField({
  label,
  hint,
  errors,
  options,
  none,
  ...select
}: {
  label: string;
  hint?: ReactNode;
  errors?: readonly string[];
  options: readonly SelectOption[];
  /** The label of an empty first option, when choosing nothing is allowed. */
  none?: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(p) => (
        <select {...p} {...select}>
          {none !== undefined && <option value="">{none}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
