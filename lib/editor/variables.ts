import { TEMPLATE_ROOTS, checkTemplate } from '@/lib/flow/templates';
import type { FlowDocument } from '@/lib/flow/schema';

/** Variables every flow can use in a message, with what they hold. */
const KNOWN: { name: string; note: string }[] = [
  { name: 'contact.first_name', note: "the contact's first name" },
  { name: 'contact.phone', note: "the contact's phone number" },
  { name: 'payment.link', note: 'the secure payment link (payment requests)' },
  { name: 'payment.amount', note: 'the amount, like 42.50' },
  { name: 'payment.receipt_url', note: 'the receipt after payment' },
  { name: 'reply.text', note: "the contact's last reply" },
  { name: 'verify.code', note: 'the one-time code (identity checks)' },
];

export interface VariableSuggestion {
  name: string;
  note: string;
}

/** Every variable a template in this flow can use: the known ones, the flow's `vars.*` (set or read anywhere). */
export function flowVariables(doc: FlowDocument): VariableSuggestion[] {
  const vars = new Set<string>();
  for (const node of doc.nodes) {
    if (node.type === 'variable.set' && node.data && typeof node.data.assign === 'object') {
      for (const name of Object.keys(node.data.assign)) vars.add(name);
    }
    if (node.type === 'split' && node.data?.on === 'variable' && node.data.variable) vars.add(node.data.variable);
    for (const text of textsOf(node.data)) {
      const check = checkTemplate(text);
      if (check.ok) for (const segs of check.variables) if (segs[0] === 'vars' && segs[1]) vars.add(segs[1]);
    }
  }
  return [...KNOWN, ...[...vars].sort().map((v) => ({ name: `vars.${v}`, note: 'a value given when the run starts or set in the flow' }))];
}

function textsOf(data: unknown): string[] {
  if (!data || typeof data !== 'object') return [];
  const out: string[] = [];
  for (const v of Object.values(data)) {
    if (typeof v === 'string' && v.includes('{{')) out.push(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...textsOf(v));
  }
  return out;
}

/** The variable being typed at the caret (`{{ con|`), or null when the caret is not inside `{{ … }}`. */
export function variableAtCaret(text: string, caret: number): { start: number; prefix: string } | null {
  const before = text.slice(0, caret);
  const m = /\{\{\s*([A-Za-z0-9_.]*)$/.exec(before);
  if (!m) return null;
  return { start: caret - m[1]!.length, prefix: m[1]! };
}

/** Suggestions that start with what is typed (or contain it, after those), at most `limit`. */
export function suggestVariables(all: readonly VariableSuggestion[], prefix: string, limit = 8): VariableSuggestion[] {
  const p = prefix.toLowerCase();
  const starts = all.filter((v) => v.name.toLowerCase().startsWith(p));
  const contains = all.filter((v) => !v.name.toLowerCase().startsWith(p) && v.name.toLowerCase().includes(p));
  return [...starts, ...contains].slice(0, limit);
}

/**
 * Inserts a chosen variable at the caret: replaces what was typed of its name
 * and closes the tag when it is not closed yet. Returns the text and the caret after it.
 */
export function insertVariable(text: string, caret: number, name: string): { text: string; caret: number } {
  const at = variableAtCaret(text, caret);
  if (!at) return { text, caret };
  const after = text.slice(caret);
  const closed = /^[A-Za-z0-9_.]*\s*\}\}/.test(after);
  const rest = closed ? after.replace(/^[A-Za-z0-9_.]*/, '') : `}}${after}`;
  const inserted = `${text.slice(0, at.start)}${name}`;
  return { text: inserted + rest, caret: inserted.length + (closed ? rest.indexOf('}}') + 2 : 2) };
}

export { TEMPLATE_ROOTS };
