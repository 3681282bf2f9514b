import { Liquid } from 'liquidjs';

/** Variables a message template may use (FLOW_FORMAT.md: `contact.*`, `vars.*`, `payment.*`, `reply.*`; `verify.code` for one-time codes). */
export const TEMPLATE_ROOTS = ['contact', 'vars', 'payment', 'reply', 'verify'] as const;

const engine = new Liquid({ strictFilters: true, strictVariables: false });

export type TemplateCheck = { ok: true; variables: string[][] } | { ok: false; message: string };

/** Parses a Liquid template and lists the variables it reads; never renders. */
export function checkTemplate(text: string): TemplateCheck {
  try {
    engine.parse(text);
    return { ok: true, variables: engine.globalVariableSegmentsSync(text).map((segs) => segs.map(String)) };
  } catch (err) {
    const message = (err as Error).message.replace(/, line:\d+, col:\d+$/, '');
    return { ok: false, message };
  }
}

/** Whether the template outputs the variable, e.g. `payment.link`, anywhere. */
export function templateUses(text: string, variable: string): boolean {
  const check = checkTemplate(text);
  return check.ok && check.variables.some((segs) => segs.join('.') === variable);
}

/** Renders a template with the given scope (simulator and runtime). */
export function renderTemplate(text: string, scope: Record<string, unknown>): string {
  return engine.parseAndRenderSync(text, scope);
}
