import twilio from 'twilio';
import { z } from 'zod';
import { ProviderError, WebhookPayloadError } from '@/lib/providers/errors';
import { ConcurrencyLimit } from '@/lib/providers/limit';
import type {
  InboundMessage,
  MessageState,
  MessagingProvider,
  OutboundMessage,
  SendResult,
  StatusUpdate,
  WebhookRequest,
} from '@/lib/providers/messaging';
import { toProviderError } from './twilio-errors';
import { toMessageStatus } from './twilio-status';

export interface TwilioMessagingOptions {
  /** Created at the edge: `twilio(accountSid, authToken)`. */
  client: twilio.Twilio;
  /** MG…: sends go through the Messaging Service (its sender pool, opt-out handling, A2P registration). */
  messagingServiceSid: string;
  /** Checks webhook signatures (`X-Twilio-Signature`). */
  authToken: string;
  /** Public base URL without a trailing slash: webhooks are `${publicUrl}/api/webhooks/twilio/…`. */
  publicUrl: string;
  /**
   * Requests to Twilio at once from this process (default 16): Twilio refuses
   * an account's requests beyond its concurrency limit (429, error 20429),
   * while a worker runs hundreds of jobs at once.
   */
  maxConcurrentRequests?: number;
}

const DEFAULT_MAX_CONCURRENT_REQUESTS = 16;

/** The delivery-status webhook route, relative to PUBLIC_URL. */
export const TWILIO_STATUS_PATH = '/api/webhooks/twilio/status';
/** The inbound-message webhook route, relative to PUBLIC_URL (configured on the Messaging Service). */
export const TWILIO_INBOUND_PATH = '/api/webhooks/twilio/inbound';
/** The query parameter of the status callback URL that carries the effect id. */
export const EFFECT_ID_PARAM = 'effectId';

const E164 = /^\+[1-9]\d{1,14}$/;
const E164_OR_SHORT_CODE = /^(\+[1-9]\d{1,14}|\d{3,8})$/;
const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;

const inboundForm = z.object({
  MessageSid: z.string().regex(MESSAGE_SID, { error: 'MessageSid must be SM or MM followed by 32 hex digits' }),
  From: z.string().regex(E164, { error: 'From must be an E.164 number' }),
  // A Messaging Service may receive on a short code as well as on long numbers.
  To: z.string().regex(E164_OR_SHORT_CODE, { error: 'To must be an E.164 number or a short code' }),
  Body: z.string().default(''),
});

const statusForm = z.object({
  MessageSid: z.string().regex(MESSAGE_SID, { error: 'MessageSid must be SM or MM followed by 32 hex digits' }),
  MessageStatus: z.string().min(1, { error: 'MessageStatus is required' }),
  ErrorCode: z.string().regex(/^\d+$/, { error: 'ErrorCode must be a number' }).optional(),
});

/**
 * Twilio adapter of the messaging port, on the official SDK.
 *
 * At most once per effect. Twilio's Message create takes no idempotency key,
 * so a retried create can send the text twice; the adapter never retries, and
 * the guarantee rests on this protocol with the engine:
 * 1. the engine records the effect as claimed (committed) before calling `send`;
 * 2. `send` makes exactly one create call and the engine records the returned
 *    MessageSid;
 * 3. on recovery of a claimed effect: with a recorded sid, `fetchStatus(sid)`
 *    tells where it is — never resend; without a sid (the worker died during
 *    the call, or `send` threw a ProviderError with `outcomeUnknown`), the
 *    effect is NOT resent but marked for reconciliation. The status callback
 *    URL carries the effect id, so if Twilio did create the message its first
 *    status webhook names the effect and the sid (`parseStatus(...).effectId`)
 *    and reconciles it; if none arrives the send is treated as not performed
 *    and left for an operator, never silently repeated.
 * A `send` that fails with `outcomeUnknown: false` (429, other 4xx, connection
 * refused) provably sent nothing and may be retried or failed.
 * Trade-off: a message Twilio accepted but whose answer was lost is delivered
 * once and learned late; a message lost before Twilio is not sent again
 * automatically. Sending twice is the one thing that never happens.
 */
export class TwilioMessagingProvider implements MessagingProvider {
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;
  private readonly messagingServiceSid: string;
  private readonly authToken: string;
  private readonly publicUrl: string;
  private readonly requests: ConcurrencyLimit;

  constructor(options: TwilioMessagingOptions) {
    this.requests = new ConcurrencyLimit(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);
    this.client = options.client;
    this.messagingServiceSid = options.messagingServiceSid;
    this.authToken = options.authToken;
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
  }

  /** The status callback URL for an effect: the default route, or the message's own, with the effect id in the query. */
  statusCallbackUrl(effectId: string, base?: string): string {
    const url = new URL(base ?? `${this.publicUrl}${TWILIO_STATUS_PATH}`);
    url.searchParams.set(EFFECT_ID_PARAM, effectId);
    return url.toString();
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    if (!E164.test(msg.to)) {
      throw new ProviderError({
        provider: 'twilio',
        kind: 'invalid_recipient',
        outcomeUnknown: false,
        message: `recipient ${msg.to} is not an E.164 number`,
      });
    }
    let created;
    try {
      // Exactly one call, never retried here: see the class comment.
      created = await this.requests.run(() =>
        this.client.messages.create({
          to: msg.to,
          body: msg.body,
          messagingServiceSid: this.messagingServiceSid,
          statusCallback: this.statusCallbackUrl(msg.effectId, msg.statusCallbackUrl),
        }),
      );
    } catch (error) {
      throw toProviderError(error, `sending effect ${msg.effectId}`);
    }
    return { providerId: created.sid, status: toMessageStatus(created.status) ?? 'queued' };
  }

  async fetchStatus(providerId: string): Promise<MessageState> {
    if (!MESSAGE_SID.test(providerId)) {
      throw new ProviderError({
        provider: 'twilio',
        kind: 'rejected',
        outcomeUnknown: false,
        message: `${providerId} is not a Twilio MessageSid`,
      });
    }
    let message;
    try {
      message = await this.requests.run(() => this.client.messages(providerId).fetch());
    } catch (error) {
      throw toProviderError(error, `fetching message ${providerId}`);
    }
    const status = toMessageStatus(message.status);
    if (!status) {
      throw new ProviderError({
        provider: 'twilio',
        kind: 'rejected',
        outcomeUnknown: false,
        message: `message ${providerId} has an unknown status "${message.status}"`,
      });
    }
    return {
      providerId: message.sid,
      status,
      ...(message.errorCode ? { errorCode: message.errorCode } : {}),
      ...(message.errorMessage ? { errorMessage: message.errorMessage } : {}),
    };
  }

  parseInbound(form: Record<string, string>): InboundMessage {
    const f = parseForm(inboundForm, form);
    return { providerId: f.MessageSid, from: f.From, to: f.To, body: f.Body };
  }

  parseStatus(form: Record<string, string>, url?: string): StatusUpdate {
    const f = parseForm(statusForm, form);
    const status = toMessageStatus(f.MessageStatus);
    if (!status) throw new WebhookPayloadError('twilio', `MessageStatus "${f.MessageStatus}" is not a Twilio message status`);
    const effectId = url ? (new URL(url).searchParams.get(EFFECT_ID_PARAM) ?? undefined) : undefined;
    return {
      providerId: f.MessageSid,
      status,
      ...(f.ErrorCode ? { errorCode: Number(f.ErrorCode) } : {}),
      ...(effectId ? { effectId } : {}),
    };
  }

  /**
   * `url` must be the exact public URL Twilio posted to, query string included
   * (`${PUBLIC_URL}/api/webhooks/twilio/status?effectId=…`), not the URL the
   * app sees behind a proxy; `params` all the form fields, untouched.
   */
  verifyWebhook(req: WebhookRequest): boolean {
    if (!req.signature) return false;
    try {
      return twilio.validateRequest(this.authToken, req.signature, req.url, req.params);
    } catch {
      // An unparsable URL cannot be one Twilio signed.
      return false;
    }
  }
}

function parseForm<T extends z.ZodType>(schema: T, form: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(form);
  if (!result.success) throw new WebhookPayloadError('twilio', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}
