import { Liquid } from 'liquidjs';

/** Variables a message template may use (FLOW_FORMAT.md: `contact.*`, `vars.*`, `payment.*`, `reply.*`; `verify.code` for one-time codes). */
export const TEMPLATE_ROOTS = ['contact', 'vars', 'payment', 'reply', 'verify'] as const;

const engine = new Liquid({ strictFilters: true, strictVariables: false });

export type TemplateCheck = { ok: true; variables: string[][] } | { ok: false; message: string };

/** Parses a Liquid template and lists the variables it reads; never renders. */
export function checkTemplate(text: string): TemplateCheck {
  // Every Liquid tag and output opens with "{" ("{{", "{%"): a text without one is plain text, nothing to parse.
  if (!text.includes('{')) return { ok: true, variables: [] };
  try {
    // Parsed once: the variables are read from the parsed template, not from the text again.
    const parsed = engine.parse(text);
    return { ok: true, variables: engine.globalVariableSegmentsSync(parsed).map((segs) => segs.map(String)) };
  } catch (err) {
    const message = (err as Error).message.replace(/, line:\d+, col:\d+$/, '');
    return { ok: false, message };
  }
}

/**
 * `checkTemplate` that reads each distinct text once, for one pass over one
 * document: a text repeated in many steps is parsed once. Per document, not
 * for the process: nothing a caller sends stays in memory after it.
 */
export function templateChecker(): (text: string) => TemplateCheck {
  const checked = new Map<string, TemplateCheck>();
  return (text) => {
    let check = checked.get(text);
    if (check === undefined) {
      check = checkTemplate(text);
      checked.set(text, check);
    }
    return check;
  };
}

/** Whether the template outputs the variable, e.g. `payment.link`, anywhere (`check`: a `templateChecker` to share its parses). */
export function templateUses(text: string, variable: string, checker: (text: string) => TemplateCheck = checkTemplate): boolean {
  const check = checker(text);
  return check.ok && check.variables.some((segs) => segs.join('.') === variable);
}

/** Renders a template with the given scope (simulator and runtime). */
export function renderTemplate(text: string, scope: Record<string, unknown>): string {
  return engine.parseAndRenderSync(text, scope);
}
