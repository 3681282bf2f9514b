import { authenticate as processAuthenticate } from '@/lib/auth/request-actor';
import type { Authenticate } from '@/lib/access/roles';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { sandboxMessagesFor } from '@/lib/providers/sandbox/sandbox-message-view';
import { messageRepository } from '@/lib/db/message-repository';
import { AppError } from '@/lib/app-error';
import { endpoints, errorAnswer, fileResponse, jsonBody, jsonResponse, rawBody } from '@/lib/http/endpoint';
import { json } from '@/lib/http/route';
import {
  EMPTY_TWIML,
  MAX_FORM_BYTES,
  receiveInboundWebhook,
  receiveStatusWebhook,
  SIGNATURE_HEADER,
  TWIML_CONTENT_TYPE,
  webhookRequest,
} from '@/lib/http/messaging-webhooks';
import type { WebhookRequest } from '@/lib/providers/messaging';
import { services, type Services } from '@/lib/runtime/services';

/** A webhook from a Next.js request and its body, read within the webhook limit (see `webhookRequest`). */
export function readWebhook(request: Request, body: string, publicUrl: string): WebhookRequest {
  const { pathname, search } = new URL(request.url);
  return webhookRequest({
    contentType: request.headers.get('content-type'),
    body,
    pathAndQuery: `${pathname}${search}`,
    signature: request.headers.get(SIGNATURE_HEADER),
    publicUrl,
  });
}

function twiml(): Response {
  return new Response(EMPTY_TWIML, { status: 200, headers: { 'content-type': TWIML_CONTENT_TYPE } });
}

const sandboxInbound = z.strictObject({
  from: z.string({ error: 'give the number the text comes from' }).min(1, { error: 'give the number the text comes from' }),
  body: z.string({ error: 'give the text' }).max(1600, { error: 'a text is at most 1,600 characters' }),
});

const sandboxMessagesQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, { error: (iss) => `"${String(iss.input)}" is not a whole number from 1 to 1000` })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 1000, { error: 'is not a whole number from 1 to 1000' })
    .default(100),
});

const sandboxOff = errorAnswer('The sandbox is off: texts go through Twilio.');
const sandboxMessage = z.object({
  id: z.string(),
  direction: z.string(),
  contactId: z.string(),
  runId: z.string().nullable(),
  body: z.string().meta({ description: 'The text (masked for roles that may not read it).' }),
  status: z.string(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
const twilioDoc = (id: string, summary: string, description: string) => ({
  id,
  summary,
  description: `${description} Signed by Twilio (\`X-Twilio-Signature\`, form-encoded); the sandbox signs the same way. A replay is a 200 that changes nothing.`,
  responses: { 200: fileResponse('An empty TwiML answer.', 'text/xml') },
});

/**
 * The messaging webhooks (Twilio, or the sandbox that signs like it) and the
 * sandbox's own routes. A bad signature is a 403 and nothing is stored; a
 * replayed webhook is a 200 that changes nothing.
 */
export function messagingHandlers(get: () => Promise<Services> = services, authenticate: Authenticate = processAuthenticate) {
  const endpoint = endpoints({ authenticate });
  const read = async (request: Request, body: string) => {
    const s = await get();
    return { s, hook: readWebhook(request, body, s.env.publicUrl) };
  };

  return {
    /** An inbound text (`receiveInboundWebhook`). The app server answers this path itself, before Next.js (`lib/http/webhook-listener.ts`). */
    inbound: endpoint(
      {
        access: 'signature',
        body: rawBody(MAX_FORM_BYTES),
        doc: twilioDoc('twilioInbound', 'Twilio: an inbound text', "Set as the Messaging Service's incoming-message webhook."),
      },
      async ({ request, body }) => {
        const { s, hook: h } = await read(request, body);
        await receiveInboundWebhook(s, h);
        return twiml();
      },
    ),

    /** A delivery-status callback (`receiveStatusWebhook`). */
    status: endpoint(
      {
        access: 'signature',
        body: rawBody(MAX_FORM_BYTES),
        doc: twilioDoc('twilioStatus', 'Twilio: a delivery status', 'Each send names this URL with its effect id.'),
      },
      async ({ request, body }) => {
        const { s, hook: h } = await read(request, body);
        await receiveStatusWebhook(s, h);
        return twiml();
      },
    ),

    /** Plays an inbound text in the sandbox: `{ "from": "+1…", "body": "STOP" }` (404 with a real provider). */
    sandboxInbound: endpoint(
      {
        access: 'runs.write',
        body: jsonBody(sandboxInbound),
        doc: {
          id: 'sandboxInbound',
          summary: 'Sandbox: play an inbound text',
          description: 'As if the contact had sent it (sandbox only).',
          example: { from: '+15551234567', body: 'STOP' },
          responses: {
            200: jsonResponse('The simulated message and what the engine did.', z.object({ messageSid: z.string(), outcome: z.string() })),
            404: sandboxOff,
          },
        },
      },
      async ({ body }) => {
        const s = await get();
        const sandbox = s.providers.sandbox.messaging;
        if (!sandbox) throw new AppError('not_found', 'the sandbox is off: texts come from Twilio');
        const phone = parsePhoneNumberFromString(body.from, 'US');
        if (!phone?.isValid())
          throw new AppError('validation_failed', `from: "${body.from}" is not a valid phone number`, { path: 'from' });
        const hook = sandbox.simulateInbound({ from: phone.number, body: body.body });
        const msg = sandbox.parseInbound(hook.params);
        const { outcome } = await s.engine.receiveInbound({ providerId: msg.providerId, from: msg.from, body: msg.body });
        return json({ messageSid: msg.providerId, outcome });
      },
    ),

    /** The latest texts in and out (sandbox only: with Twilio, the provider's console is the record). */
    sandboxMessages: endpoint(
      {
        access: 'read',
        query: sandboxMessagesQuery,
        doc: {
          id: 'sandboxMessages',
          summary: 'Sandbox: the latest texts',
          description: 'The texts in and out, newest first (sandbox only: with Twilio, its console is the record).',
          responses: { 200: jsonResponse('The texts.', z.object({ messages: z.array(sandboxMessage) })), 404: sandboxOff },
        },
      },
      async ({ actor, query: { limit } }) => {
        const s = await get();
        if (!s.providers.sandbox.messaging) throw new AppError('not_found', 'the sandbox is off: texts go through Twilio');
        return json({ messages: sandboxMessagesFor(actor, await messageRepository(s.pool).listRecent(limit)) });
      },
    ),
  };
}

export const handlers = messagingHandlers();
