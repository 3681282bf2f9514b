/**
 * The "Add a contact" form's data: what the form holds, the body it sends to
 * POST /api/contacts (validated there, by the same schema as the API's), and
 * the API's problems sorted by the field they are about. Pure.
 */

/** The form's fields as typed. `consentAt` is an instant already (ISO 8601), or '' when not given. */
export interface NewContactForm {
  phone: string;
  name: string;
  zone: string;
  withConsent: boolean;
  purpose: 'informational' | 'marketing';
  source: 'web_form' | 'keyword' | 'reply' | 'api';
  channel: '' | 'sms' | 'web' | 'voice' | 'paper' | 'email' | 'api';
  text: string;
  consentAt: string;
}

/** The body of POST /api/contacts for the form: blank optional fields left out, the consent only when given. */
export function newContactBody(form: NewContactForm): Record<string, unknown> {
  const name = form.name.trim();
  const zone = form.zone.trim();
  return {
    phone: form.phone.trim(),
    ...(name ? { name } : {}),
    ...(zone ? { zone } : {}),
    ...(form.withConsent
      ? {
          consent: {
            purpose: form.purpose,
            source: form.source,
            ...(form.channel ? { channel: form.channel } : {}),
            text: form.text,
            at: form.consentAt,
          },
        }
      : {}),
  };
}

/** The form's field a problem's path is about (`consent.text` → `text`); other paths go under `form`. */
const FIELD_OF_PATH: Record<string, string> = {
  phone: 'phone',
  name: 'name',
  zone: 'zone',
  'consent.purpose': 'purpose',
  'consent.source': 'source',
  'consent.channel': 'channel',
  'consent.text': 'text',
  'consent.at': 'consentAt',
};

/** The API's validation problems (`error.details`, else the error itself) by the form field they name. */
export function errorsByField(error: {
  message: string;
  path?: string;
  details?: { path: string; message: string }[];
}): Record<string, string[]> {
  const problems = error.details?.length ? error.details : [{ path: error.path ?? '', message: error.message }];
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const field = FIELD_OF_PATH[p.path] ?? 'form';
    // A field's own message without the path the API puts in front (`phone: "555" is not …` → `"555" is not …`).
    const message = field !== 'form' && p.message.startsWith(`${p.path}: `) ? p.message.slice(p.path.length + 2) : p.message;
    (out[field] ??= []).push(message);
  }
  return out;
}
