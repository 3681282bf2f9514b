'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { parseList } from './form-controls';
import type { FieldErrors } from './node-form';

type Loose = Record<string, unknown>;
type Match = 'equals' | 'contains' | 'both';
/** A case renamed: its connection follows it to the new output name. */
export type Renamed = { from: string; to: string };

const MATCHES: readonly (readonly [Match, string])[] = [
  ['equals', 'is one of'],
  ['contains', 'contains'],
];

const words = (v: unknown) => (Array.isArray(v) ? (v as string[]) : undefined);
const matchOf = (c: Loose): Match =>
  c.equals !== undefined && c.contains !== undefined ? 'both' : c.contains !== undefined ? 'contains' : 'equals';

/** A new case's output name: case-N, the first N not taken. */
function freshHandle(cases: readonly Loose[]): string {
  const taken = new Set(cases.map((c) => c.handle));
  let n = cases.length + 1;
  while (taken.has(`case-${n}`)) n++;
  return `case-${n}`;
}

/** Errors of a path and everything under it. */
function under(errors: FieldErrors, path: string): string[] {
  const out: string[] = [];
  for (const [k, v] of errors) if (k === path || k.startsWith(`${path}[`) || k.startsWith(`${path}.`)) out.push(...v);
  return out;
}

/**
 * A Branch step's cases as a list, one case a row: what to match (the reply
 * or variable is one of some words, or contains one), the words, and the name
 * of the output it leads to. Cases are added, removed and moved up or down
 * with buttons (the first match wins, so the order matters); focus follows
 * the case moved or added, so it all works from the keyboard.
 */
export function BranchCases({
  cases,
  subject,
  errors,
  onChange,
}: {
  cases: readonly Loose[];
  /** What the cases match: "the reply" or "vars.status". */
  subject: string;
  errors: FieldErrors;
  onChange: (cases: Loose[], field: string, renamed?: Renamed) => void;
}) {
  const base = useId();
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => {
    if (!focus) return;
    const el = document.getElementById(focus);
    if (el instanceof HTMLButtonElement && el.disabled) {
      // Moved to the top or bottom: the other arrow of the same case.
      const other = document.getElementById(focus.endsWith('-up') ? focus.replace(/-up$/, '-down') : focus.replace(/-down$/, '-up'));
      other?.focus();
    } else el?.focus();
    setFocus(null);
  }, [focus]);

  const setCase = (i: number, patch: Loose, renamed?: Renamed) => {
    const next = cases.map((c, j) => {
      if (j !== i) return c;
      const merged: Loose = { ...c, ...patch };
      for (const k of Object.keys(patch)) if (patch[k] === undefined) delete merged[k];
      return merged;
    });
    onChange(next, `cases[${i}].${Object.keys(patch).join(',')}`, renamed);
  };
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= cases.length) return;
    const next = [...cases];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next, 'cases');
    setFocus(`${base}-case-${j}-${by < 0 ? 'up' : 'down'}`);
  };
  const remove = (i: number) => {
    onChange(
      cases.filter((_, j) => j !== i),
      'cases',
    );
    setFocus(`${base}-case-${Math.min(i, cases.length - 2)}-words`);
  };
  const add = () => {
    onChange([...cases, { handle: freshHandle(cases), equals: ['answer'] }], 'cases');
    setFocus(`${base}-case-${cases.length}-words`);
  };
  const listErrors = errors.get('cases');

  return (
    <fieldset className="field branch-cases">
      <legend className="field-label">Cases, in order</legend>
      <p className="field-hint">The first case that matches {subject} wins; when none does, the step continues on &quot;else&quot;.</p>
      <ol className="case-list">
        {cases.map((c, i) => {
          const id = `${base}-case-${i}`;
          const match = matchOf(c);
          const handle = typeof c.handle === 'string' ? c.handle : '';
          const handleErrors = errors.get(`cases[${i}].handle`) ?? [];
          const caseErrors = [
            ...(errors.get(`cases[${i}]`) ?? []),
            ...under(errors, `cases[${i}].equals`),
            ...under(errors, `cases[${i}].contains`),
          ];
          return (
            <li key={i} className="case-item" data-testid={`case-${i}`} aria-label={`Case ${i + 1}: ${handle || 'unnamed'}`}>
              <div className="case-head">
                <span className="case-number">Case {i + 1}</span>
                <span className="case-actions">
                  <button
                    type="button"
                    id={`${id}-up`}
                    className="btn btn-small btn-icon"
                    onClick={() => move(i, -1)}
                    disabled={i === 0}
                    aria-label={`Move case ${i + 1} up`}
                    title={i === 0 ? 'Already the first case' : `Move case ${i + 1} up`}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    id={`${id}-down`}
                    className="btn btn-small btn-icon"
                    onClick={() => move(i, 1)}
                    disabled={i === cases.length - 1}
                    aria-label={`Move case ${i + 1} down`}
                    title={i === cases.length - 1 ? 'Already the last case' : `Move case ${i + 1} down`}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    onClick={() => remove(i)}
                    disabled={cases.length <= 1}
                    aria-label={`Remove case ${i + 1}`}
                    title={cases.length <= 1 ? 'A Branch step needs at least one case' : `Remove case ${i + 1}`}
                  >
                    Remove
                  </button>
                </span>
              </div>
              <div className="case-match">
                <label className="case-field case-kind">
                  <span className="case-label">If {subject}</span>
                  <select
                    value={match}
                    aria-label={`Case ${i + 1}: if ${subject}`}
                    onChange={(e) => {
                      const to = e.target.value as Match;
                      const all = [...(words(c.equals) ?? []), ...(words(c.contains) ?? [])];
                      setCase(i, to === 'equals' ? { equals: all, contains: undefined } : { contains: all, equals: undefined });
                    }}
                  >
                    {MATCHES.map(([v, text]) => (
                      <option key={v} value={v}>
                        {text}
                      </option>
                    ))}
                    {match === 'both' && <option value="both">is one of, or contains</option>}
                  </select>
                </label>
                {match === 'both' ? (
                  <>
                    <WordsInput
                      id={`${id}-words`}
                      label={`Case ${i + 1}: is one of`}
                      shown="Is one of"
                      value={words(c.equals)}
                      invalid={caseErrors.length > 0}
                      onChange={(v) => setCase(i, { equals: v })}
                    />
                    <WordsInput
                      id={`${id}-contains`}
                      label={`Case ${i + 1}: contains`}
                      shown="Or contains"
                      value={words(c.contains)}
                      invalid={caseErrors.length > 0}
                      onChange={(v) => setCase(i, { contains: v })}
                    />
                  </>
                ) : (
                  <WordsInput
                    id={`${id}-words`}
                    label={`Case ${i + 1}: words`}
                    shown="Words, separated by commas"
                    value={words(match === 'equals' ? c.equals : c.contains)}
                    invalid={caseErrors.length > 0}
                    onChange={(v) => setCase(i, match === 'equals' ? { equals: v } : { contains: v })}
                  />
                )}
              </div>
              <label className="case-field case-output">
                <span className="case-label">Go to the output named</span>
                <input
                  type="text"
                  value={handle}
                  maxLength={32}
                  aria-label={`Case ${i + 1}: output name`}
                  aria-invalid={handleErrors.length > 0 || undefined}
                  onChange={(e) => setCase(i, { handle: e.target.value }, { from: handle, to: e.target.value })}
                  data-testid={`case-${i}-handle`}
                />
              </label>
              {[...handleErrors, ...caseErrors].length > 0 && (
                <p className="field-error" role="alert">
                  {[...handleErrors, ...caseErrors].join(' · ')}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      {listErrors && <p className="field-error">{listErrors.join(' · ')}</p>}
      <button type="button" className="btn btn-small" onClick={add}>
        Add a case
      </button>
    </fieldset>
  );
}

/** Words typed with commas; the text is kept as typed while its words match the document. */
function WordsInput({
  id,
  label,
  shown,
  value,
  invalid,
  onChange,
}: {
  id: string;
  label: string;
  shown: string;
  value: readonly string[] | undefined;
  invalid: boolean;
  onChange: (list: string[] | undefined) => void;
}) {
  const joined = (value ?? []).join(', ');
  const [text, setText] = useState(joined);
  const last = useRef(joined);
  useEffect(() => {
    if (last.current === joined) return;
    last.current = joined;
    if (parseList(text).join(', ') !== joined) setText(joined);
  }, [joined, text]);
  return (
    <label className="case-field case-words">
      <span className="case-label">{shown}</span>
      <input
        id={id}
        type="text"
        value={text}
        maxLength={2000}
        aria-label={label}
        aria-invalid={invalid || undefined}
        onChange={(e) => {
          setText(e.target.value);
          const list = parseList(e.target.value);
          last.current = list.join(', ');
          onChange(list.length > 0 ? list : undefined);
        }}
      />
    </label>
  );
}
