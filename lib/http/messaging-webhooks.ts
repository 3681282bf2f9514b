import { WebhookPayloadError } from '@/lib/providers/errors';
import type { WebhookRequest } from '@/lib/providers/messaging';
import type { Services } from '@/lib/runtime/services';
import { AppError } from '@/lib/app-error';

/**
 * The messaging webhooks' work, apart from the HTTP server that carries
 * them: the Next.js routes (`/api/webhooks/twilio/*`) and the app server's
 * own listener for the same paths (`lib/http/webhook-listener.ts`) both call
 * these, so the two cannot drift.
 */

/** Twilio's signature header; the sandbox signs the same way under the same name. */
export const SIGNATURE_HEADER = 'x-twilio-signature';
/** Largest webhook body read (Twilio's forms are a few hundred bytes). */
export const MAX_FORM_BYTES = 64 * 1024;
/** The paths of the messaging webhooks. */
export const WEBHOOK_PATHS = { inbound: '/api/webhooks/twilio/inbound', status: '/api/webhooks/twilio/status' } as const;

/** The empty TwiML answer: received, nothing to reply (replies are the engine's own sends). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';

/**
 * The webhook as the provider signed it: the public URL it called (PUBLIC_URL
 * with this request's path and query: behind a proxy the request's own host
 * is not the one the provider saw), its form fields and its signature.
 */
export function webhookRequest(input: {
  contentType: string | null | undefined;
  body: string;
  pathAndQuery: string;
  signature: string | null | undefined;
  publicUrl: string;
}): WebhookRequest {
  if (!(input.contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('bad_request', 'a webhook is posted as application/x-www-form-urlencoded');
  }
  if (input.body.length > MAX_FORM_BYTES) throw tooLarge();
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(input.body)) params[k] = v;
  return { url: `${input.publicUrl}${input.pathAndQuery}`, params, signature: input.signature ?? null };
}

export function tooLarge(): AppError {
  return new AppError('payload_too_large', `the webhook body is over ${MAX_FORM_BYTES / 1024} KB`);
}

function verify(s: Services, hook: WebhookRequest): void {
  if (!s.providers.messaging.verifyWebhook(hook)) {
    throw new AppError(
      'forbidden',
      `the ${SIGNATURE_HEADER} signature does not match this request: check PUBLIC_URL (${s.env.publicUrl}) and the auth token`,
    );
  }
}

function payload<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof WebhookPayloadError) throw new AppError('bad_request', err.message);
    throw err;
  }
}

/**
 * An inbound text: checked, then stored in the inbox with its job in one
 * statement; the job classifies it (STOP/HELP/START, else the contact's
 * waiting run). A STOP binds from the moment it is stored: the send-time
 * guard reads unprocessed texts. A replay stores nothing more.
 */
export async function receiveInboundWebhook(s: Services, hook: WebhookRequest): Promise<void> {
  verify(s, hook);
  const msg = payload(() => s.providers.messaging.parseInbound(hook.params));
  await s.engine.acceptInbound({ providerId: msg.providerId, from: msg.from, body: msg.body });
}

/** A delivery-status callback, checked and recorded on the message it is about. */
export async function receiveStatusWebhook(s: Services, hook: WebhookRequest): Promise<void> {
  verify(s, hook);
  const update = payload(() => s.providers.messaging.parseStatus(hook.params, hook.url));
  await s.engine.receiveStatus(update);
}
