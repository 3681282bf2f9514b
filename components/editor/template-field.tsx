'use client';

import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { countSegments } from '@/lib/compliance/segments';
import { insertVariable, suggestVariables, variableAtCaret, type VariableSuggestion } from '@/lib/editor/variables';
import { Field } from '@/components/ui/field';

/**
 * A message template: typing `{{` offers the flow's variables (contact.*,
 * vars.*, payment.*, reply.*); arrows choose, Enter or Tab insert, Escape
 * closes. Shows the segment count and encoding as you type.
 */
export function TemplateField({
  label,
  value,
  onChange,
  variables,
  errors,
  rows = 4,
  counter = true,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  variables: readonly VariableSuggestion[];
  errors?: readonly string[];
  rows?: number;
  counter?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const at = caret === null ? null : variableAtCaret(value, caret);
  const suggestions = useMemo(() => (at ? suggestVariables(variables, at.prefix) : []), [at, variables]);
  const open = !dismissed && suggestions.length > 0;
  const count = counter ? countSegments(value) : null;

  const choose = (name: string) => {
    const el = ref.current;
    if (!el || caret === null) return;
    const next = insertVariable(value, caret, name);
    onChange(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((a) => (a + 1) % suggestions.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((a) => (a - 1 + suggestions.length) % suggestions.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      choose(suggestions[Math.min(active, suggestions.length - 1)]!.name);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setDismissed(true);
    }
  };

  const hint = count ? (
    <span className={count.segments > 2 || count.encoding === 'UCS-2' ? 'text-warn' : undefined} data-testid="segment-counter">
      {count.characters} characters · {count.segments} segment{count.segments === 1 ? '' : 's'} · {count.encoding}
      {count.ucs2Characters.length > 0 && ` (because of ${count.ucs2Characters.map((c) => `“${c}”`).join(' ')})`}
      {' · type {{ for variables'}
    </span>
  ) : (
    'Type {{ for variables'
  );

  return (
    <Field label={label} hint={hint} errors={errors}>
      {(props) => (
        <div className="template-field">
          <textarea
            {...props}
            ref={ref}
            rows={rows}
            value={value}
            data-testid={testId}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-expanded={open}
            aria-activedescendant={open ? `${listId}-${Math.min(active, suggestions.length - 1)}` : undefined}
            onChange={(e) => {
              onChange(e.target.value);
              setCaret(e.target.selectionStart);
              setActive(0);
              setDismissed(false);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onBlur={() => setTimeout(() => setDismissed(true), 150)}
            onFocus={() => setDismissed(false)}
          />
          {open && (
            <ul id={listId} role="listbox" className="suggestions" aria-label="Variables">
              {suggestions.map((s, i) => (
                <li
                  key={s.name}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(s.name);
                  }}
                >
                  <code>{s.name}</code> <span className="muted">{s.note}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Field>
  );
}
