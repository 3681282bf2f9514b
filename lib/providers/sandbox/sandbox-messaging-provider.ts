import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, WebhookPayloadError } from '@/lib/providers/errors';
import type {
  InboundMessage,
  MessageState,
  MessagingProvider,
  OutboundMessage,
  SendResult,
  StatusUpdate,
  WebhookRequest,
} from '@/lib/providers/messaging';
import type { SandboxOutbox } from './sandbox-outbox';
import { canonicalForm, signSandboxPayload, verifySandboxSignature } from './sandbox-signature';

export interface SandboxMessagingOptions {
  outbox: SandboxOutbox;
  /** The local secret sandbox webhooks are signed with. */
  secret: string;
  /** Public base URL without a trailing slash. */
  publicUrl: string;
  /** The sandbox's own number, shown as the sender in the simulator. */
  fromNumber?: string;
  clock?: () => Date;
  /**
   * Where the sandbox posts a sent text's delivery statuses, as Twilio calls
   * its status callback: queued, sent, then delivered, each a signed webhook
   * for `statusCallbackUrl`, one after the other, after the send returned.
   * Absent: no statuses are reported (the text stays as the send left it).
   */
  reportStatus?: (webhook: SignedWebhook) => Promise<void>;
  /** The status webhook's address the reports are signed for. Default: PUBLIC_URL + SANDBOX_STATUS_PATH. */
  statusCallbackUrl?: string;
}

/** The statuses the sandbox reports for every text it takes, in order, as Twilio does for one that reaches the phone. */
export const SANDBOX_DELIVERY_STATUSES = ['queued', 'sent', 'delivered'] as const;

/** A sandbox webhook, signed like the real provider's: what a route receives. */
export interface SignedWebhook {
  url: string;
  params: Record<string, string>;
  signature: string;
}

/** The route that plays inbound sandbox texts, relative to PUBLIC_URL. */
export const SANDBOX_INBOUND_PATH = '/api/sandbox/inbound';
/** The status webhook the sandbox reports to, as Twilio's status callbacks do (the same route). */
export const SANDBOX_STATUS_PATH = '/api/webhooks/twilio/status';
/** 555-01xx numbers are reserved for fiction (NANPA): this one never reaches a real phone. */
export const SANDBOX_FROM_NUMBER = '+12025550100';

const E164 = /^\+[1-9]\d{1,14}$/;
const SANDBOX_SID = /^SB[0-9a-f]{32}$/;

const inboundForm = z.object({
  MessageSid: z.string().regex(SANDBOX_SID, { error: 'MessageSid must be SB followed by 32 hex digits' }),
  From: z.string().regex(E164, { error: 'From must be an E.164 number' }),
  To: z.string().regex(E164, { error: 'To must be an E.164 number' }),
  Body: z.string().default(''),
  ReceivedAt: z.iso.datetime({ error: 'ReceivedAt must be an ISO 8601 time' }).optional(),
});

const statusForm = z.object({
  MessageSid: z.string().regex(SANDBOX_SID, { error: 'MessageSid must be SB followed by 32 hex digits' }),
  MessageStatus: z.enum(['queued', 'sent', 'delivered', 'failed', 'undelivered'], { error: 'MessageStatus is not a message status' }),
  ErrorCode: z.string().regex(/^\d+$/, { error: 'ErrorCode must be a number' }).optional(),
  EffectId: z.string().min(1).optional(),
});

/** The sandbox message id of an effect: `SB` + 32 hex digits of SHA-256(effect id), like a Twilio sid. */
export function sandboxMessageId(effectId: string): string {
  return `SB${createHash('sha256').update(effectId, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * Messaging without a provider: outbound texts are stored in the outbox (the
 * phone simulator shows them) instead of sent; inbound texts and status
 * callbacks are played by the app, signed with a local secret and read
 * through the same verify-then-parse path as Twilio's. A real implementation
 * of the port for local use, not a test switch.
 *
 * At most once per effect: the message id is derived from the effect id and
 * the outbox stores each id once, so a repeated send returns the first result
 * and stores nothing — across processes too, with a database outbox.
 */
export class SandboxMessagingProvider implements MessagingProvider {
  readonly name = 'sandbox';
  private readonly outbox: SandboxOutbox;
  private readonly secret: string;
  private readonly publicUrl: string;
  private readonly fromNumber: string;
  private readonly clock: () => Date;
  private readonly reportStatus: SandboxMessagingOptions['reportStatus'];
  private readonly statusCallbackUrl: string;

  constructor(options: SandboxMessagingOptions) {
    this.outbox = options.outbox;
    this.secret = options.secret;
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.fromNumber = options.fromNumber ?? SANDBOX_FROM_NUMBER;
    this.clock = options.clock ?? (() => new Date());
    this.reportStatus = options.reportStatus;
    this.statusCallbackUrl = options.statusCallbackUrl ?? `${this.publicUrl}${SANDBOX_STATUS_PATH}`;
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    if (!E164.test(msg.to)) {
      throw new ProviderError({
        provider: 'sandbox',
        kind: 'invalid_recipient',
        outcomeUnknown: false,
        message: `recipient ${msg.to} is not an E.164 number`,
      });
    }
    const providerId = sandboxMessageId(msg.effectId);
    // Recording is idempotent on the id: a repeated send stores nothing.
    await this.outbox.record({
      providerId,
      effectId: msg.effectId,
      to: msg.to,
      from: this.fromNumber,
      body: msg.body,
      ...(msg.statusCallbackUrl ? { statusCallbackUrl: msg.statusCallbackUrl } : {}),
      createdAt: this.clock(),
    });
    if (this.reportStatus) this.report(providerId, msg.effectId, this.reportStatus);
    // The simulated phone has it the moment it is stored.
    return { providerId, status: 'delivered' };
  }

  /**
   * Reports the text's statuses after the send returned (as Twilio's callbacks
   * come after its answer), in order, each once the one before was taken. A
   * report that fails is logged and ends the series: the text keeps the
   * status it reached, as with a callback that never came.
   */
  private report(providerId: string, effectId: string, post: (webhook: SignedWebhook) => Promise<void>): void {
    setImmediate(() => {
      void (async () => {
        for (const status of SANDBOX_DELIVERY_STATUSES) {
          try {
            await post(this.simulateStatus({ providerId, status, effectId }, this.statusCallbackUrl));
          } catch (err) {
            console.error(`sandbox: the "${status}" status of ${providerId} was not taken`, err);
            return;
          }
        }
      })();
    });
  }

  async fetchStatus(providerId: string): Promise<MessageState> {
    const found = SANDBOX_SID.test(providerId) ? await this.outbox.find(providerId) : undefined;
    if (!found)
      throw new ProviderError({
        provider: 'sandbox',
        kind: 'rejected',
        status: 404,
        outcomeUnknown: false,
        message: `no sandbox message ${providerId}`,
      });
    return { providerId, status: 'delivered' };
  }

  async findByEffectId(effectId: string): Promise<SendResult | undefined> {
    const providerId = sandboxMessageId(effectId);
    return (await this.outbox.find(providerId)) ? { providerId, status: 'delivered' } : undefined;
  }

  parseInbound(form: Record<string, string>): InboundMessage {
    const f = parseForm(inboundForm, form);
    return {
      providerId: f.MessageSid,
      from: f.From,
      to: f.To,
      body: f.Body,
      ...(f.ReceivedAt ? { receivedAt: new Date(f.ReceivedAt) } : {}),
    };
  }

  parseStatus(form: Record<string, string>): StatusUpdate {
    const f = parseForm(statusForm, form);
    return {
      providerId: f.MessageSid,
      status: f.MessageStatus,
      ...(f.ErrorCode ? { errorCode: Number(f.ErrorCode) } : {}),
      ...(f.EffectId ? { effectId: f.EffectId } : {}),
    };
  }

  verifyWebhook(req: WebhookRequest): boolean {
    return verifySandboxSignature(this.secret, canonicalForm(req.url, req.params), req.signature, this.clock());
  }

  /** An inbound text from a contact (`POST /api/sandbox/inbound {"from","body"}`), signed for the inbound path. */
  simulateInbound(text: { from: string; body: string; to?: string }): SignedWebhook {
    const now = this.clock();
    const params = {
      MessageSid: `SB${randomBytes(16).toString('hex')}`,
      From: text.from,
      To: text.to ?? this.fromNumber,
      Body: text.body,
      ReceivedAt: now.toISOString(),
    };
    return this.sign(`${this.publicUrl}${SANDBOX_INBOUND_PATH}`, params, now);
  }

  /** A delivery-status callback for a stored message (the simulator can play a failure). */
  simulateStatus(update: StatusUpdate, url: string): SignedWebhook {
    const params: Record<string, string> = {
      MessageSid: update.providerId,
      MessageStatus: update.status,
      ...(update.errorCode !== undefined ? { ErrorCode: String(update.errorCode) } : {}),
      ...(update.effectId ? { EffectId: update.effectId } : {}),
    };
    return this.sign(url, params, this.clock());
  }

  private sign(url: string, params: Record<string, string>, now: Date): SignedWebhook {
    return { url, params, signature: signSandboxPayload(this.secret, canonicalForm(url, params), now) };
  }
}

function parseForm<T extends z.ZodType>(schema: T, form: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(form);
  if (!result.success) throw new WebhookPayloadError('sandbox', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}
