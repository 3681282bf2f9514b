import { useId, type ReactNode } from 'react';

/**
 * A labelled control with an optional hint and inline errors; the control is
 * given its id and aria-describedby through the render function.
 */
export function Field({
  label,
  hint,
  errors,
  children,
}: {
  label: string;
  hint?: ReactNode;
  errors?: readonly string[];
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children({ id, 'aria-describedby': describedBy, ...(errors?.length ? { 'aria-invalid': true } : {}) })}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {errors?.length ? (
        <p id={errorId} className="field-error" role="alert">
          {errors.join(' · ')}
        </p>
      ) : null}
    </div>
  );
}
