import { guard } from '../../../lib/auth/guard';
import { authenticate as processAuthenticate } from '../../../lib/auth/request-actor';
import type { Authenticate } from '../../../lib/auth/roles';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { messageRepository } from '../../../lib/db/message-repository';
import { AppError } from '../../../lib/http/app-error';
import { json, readBody, route } from '../../../lib/http/route';
import { WebhookPayloadError } from '../../../lib/providers/errors';
import type { WebhookRequest } from '../../../lib/providers/messaging';
import { services, type Services } from '../../../lib/runtime/services';

/** Twilio's signature header; the sandbox signs the same way under the same name. */
const SIGNATURE_HEADER = 'x-twilio-signature';
const MAX_FORM_BYTES = 64 * 1024;

/**
 * The webhook as the provider signed it: the public URL it called (PUBLIC_URL
 * with this request's path and query: behind a proxy the request's own host
 * is not the one the provider saw), its form fields and its signature.
 */
export async function readWebhook(request: Request, publicUrl: string): Promise<WebhookRequest> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('bad_request', 'a webhook is posted as application/x-www-form-urlencoded');
  }
  const text = await request.text();
  if (text.length > MAX_FORM_BYTES) throw new AppError('payload_too_large', 'the webhook body is over 64 KB');
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) params[k] = v;
  const { pathname, search } = new URL(request.url);
  return { url: `${publicUrl}${pathname}${search}`, params, signature: request.headers.get(SIGNATURE_HEADER) };
}

function payload<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof WebhookPayloadError) throw new AppError('bad_request', err.message);
    throw err;
  }
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function twiml(): Response {
  return new Response(EMPTY_TWIML, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

const sandboxInbound = z.strictObject({
  from: z.string({ error: 'give the number the text comes from' }).min(1, { error: 'give the number the text comes from' }),
  body: z.string({ error: 'give the text' }).max(1600, { error: 'a text is at most 1,600 characters' }),
});

/**
 * The messaging webhooks (Twilio, or the sandbox that signs like it) and the
 * sandbox's own routes. A bad signature is a 403 and nothing is stored; a
 * replayed webhook is a 200 that changes nothing.
 */
export function messagingHandlers(get: () => Promise<Services> = services, authenticate: Authenticate = processAuthenticate) {
  const allow = guard(authenticate);
  const verified = async (request: Request) => {
    const s = await get();
    const hook = await readWebhook(request, s.env.publicUrl);
    if (!s.providers.messaging.verifyWebhook(hook)) {
      throw new AppError('forbidden', `the ${SIGNATURE_HEADER} signature does not match this request: check PUBLIC_URL (${s.env.publicUrl}) and the auth token`);
    }
    return { s, hook };
  };

  return {
    /**
     * An inbound text: stored in the inbox with its job in one statement, then
     * answered; the job classifies it (STOP/HELP/START, else the contact's
     * waiting run). A STOP binds from the moment it is stored: the send-time
     * guard reads unprocessed texts.
     */
    inbound: route(async (request: Request) => {
      const { s, hook } = await verified(request);
      const msg = payload(() => s.providers.messaging.parseInbound(hook.params));
      await s.engine.acceptInbound({ providerId: msg.providerId, from: msg.from, body: msg.body });
      return twiml();
    }),

    /** A delivery-status callback. */
    status: route(async (request: Request) => {
      const { s, hook } = await verified(request);
      const update = payload(() => s.providers.messaging.parseStatus(hook.params, hook.url));
      await s.engine.receiveStatus(update);
      return twiml();
    }),

    /** Plays an inbound text in the sandbox: `{ "from": "+1…", "body": "STOP" }` (404 with a real provider). */
    sandboxInbound: allow('runs.write', async (_actor, request: Request) => {
      const s = await get();
      const sandbox = s.providers.sandbox.messaging;
      if (!sandbox) throw new AppError('not_found', 'the sandbox is off: texts come from Twilio');
      const body = await readBody(request, sandboxInbound);
      const phone = parsePhoneNumberFromString(body.from, 'US');
      if (!phone?.isValid()) throw new AppError('validation_failed', `from: "${body.from}" is not a valid phone number`, { path: 'from' });
      const hook = sandbox.simulateInbound({ from: phone.number, body: body.body });
      const msg = sandbox.parseInbound(hook.params);
      const { outcome } = await s.engine.receiveInbound({ providerId: msg.providerId, from: msg.from, body: msg.body });
      return json({ messageSid: msg.providerId, outcome });
    }),

    /** The latest texts in and out (sandbox only: with Twilio, the provider's console is the record). */
    sandboxMessages: allow('read', async (_actor, request: Request) => {
      const s = await get();
      if (!s.providers.sandbox.messaging) throw new AppError('not_found', 'the sandbox is off: texts go through Twilio');
      const limitText = new URL(request.url).searchParams.get('limit') ?? '100';
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('validation_failed', `limit: "${limitText}" is not a whole number from 1 to 1000`, { path: 'limit' });
      return json({ messages: await messageRepository(s.pool).listRecent(limit) });
    }),
  };
}

export const handlers = messagingHandlers();
