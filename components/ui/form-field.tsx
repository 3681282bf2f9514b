import type { InputHTMLAttributes, ReactNode } from 'react';
import { Field } from './field';

/** A labelled text input (any `type`) with an optional hint and inline errors: {@link Field} around one `<input>`. */
export function FormField({
  label,
  hint,
  errors,
  ...input
}: { label: string; hint?: ReactNode; errors?: readonly string[] } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} hint={hint} errors={errors}>
      {(p) => <input {...p} {...input} />}
    </Field>
  );
}
