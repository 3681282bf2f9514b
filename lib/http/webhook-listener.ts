import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookRequest } from '@/lib/providers/messaging';
import type { Services } from '@/lib/runtime/services';
import {
  EMPTY_TWIML,
  MAX_FORM_BYTES,
  receiveInboundWebhook,
  receiveStatusWebhook,
  SIGNATURE_HEADER,
  tooLarge,
  TWIML_CONTENT_TYPE,
  webhookRequest,
  WEBHOOK_PATHS,
} from './messaging-webhooks';
import { errorResponse } from './route';
import { NOSNIFF } from './security-headers';

type Receive = (s: Services, hook: WebhookRequest) => Promise<void>;

const RECEIVERS: Record<string, Receive> = {
  [WEBHOOK_PATHS.inbound]: receiveInboundWebhook,
  [WEBHOOK_PATHS.status]: receiveStatusWebhook,
};

/**
 * The messaging webhooks answered by the app's HTTP server itself, before
 * Next.js sees the request (server.ts). They are the hot path (every text a
 * contact sends, every delivery receipt): through Next.js's request
 * pipeline a webhook cost ~3 ms of CPU, here it costs the signature check and
 * one statement. The work is the same as the Next.js routes'
 * (`lib/http/messaging-webhooks.ts`): same checks, same errors, same answers.
 *
 * Returns a request handler that answers a POST to a webhook path and
 * returns true, or returns false for anything else (Next.js answers it).
 */
export function webhookListener(
  get: () => Promise<Services>,
  log?: (message: string, err: unknown) => void,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST' || !req.url) return false;
    const query = req.url.indexOf('?');
    const receive = RECEIVERS[query < 0 ? req.url : req.url.slice(0, query)];
    if (!receive) return false;
    void answer(
      req,
      res,
      async () => {
        const body = await readForm(req);
        const s = await get();
        await receive(
          s,
          webhookRequest({
            contentType: req.headers['content-type'],
            body,
            pathAndQuery: req.url!,
            signature: header(req, SIGNATURE_HEADER),
            publicUrl: s.env.publicUrl,
          }),
        );
      },
      log,
    );
    return true;
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  work: () => Promise<void>,
  log?: (message: string, err: unknown) => void,
): Promise<void> {
  try {
    await work();
    res.writeHead(200, { 'content-type': TWIML_CONTENT_TYPE, 'content-length': Buffer.byteLength(EMPTY_TWIML), ...NOSNIFF });
    res.end(EMPTY_TWIML);
  } catch (err) {
    // The same status and body as the Next.js routes (an AppError as itself, anything else a bare 500, logged).
    const response = errorResponse(err, log);
    const text = await response.text();
    res.writeHead(response.status, {
      'content-type': response.headers.get('content-type') ?? 'application/json',
      'content-length': Buffer.byteLength(text),
      ...NOSNIFF,
    });
    res.end(text);
    // The rest of an oversized body is read and dropped, so the connection can serve the next request.
    if (!req.readableEnded) req.resume();
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** The body as text, refused once it is over MAX_FORM_BYTES (declared or read). */
function readForm(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_FORM_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.off('data', onData);
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
