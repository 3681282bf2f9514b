/**
 * The messaging port (ARCHITECTURE.md, "Providers"): what the runtime needs
 * from an SMS provider. Adapters: `twilio/`, `sandbox/`. The runtime imports
 * only this file, never an SDK.
 */

/** Where a message is on its way to the handset, reduced to what flows act on. */
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'undelivered';

export interface OutboundMessage {
  /** E.164, e.g. +13055550123. */
  to: string;
  body: string;
  /** The effect id (`runId:step:index`): the idempotency key of this send. */
  effectId: string;
  /** Overrides the adapter's default delivery-status webhook. */
  statusCallbackUrl?: string;
}

export interface SendResult {
  /** The provider's message id (Twilio MessageSid). */
  providerId: string;
  status: MessageStatus;
}

/** The provider's current view of one outbound message. */
export interface MessageState {
  providerId: string;
  status: MessageStatus;
  /** The provider's error code when failed or undelivered (Twilio 30003, …). */
  errorCode?: number;
  errorMessage?: string;
}

/** A text a contact sent to us. `providerId` is the inbox idempotency key. */
export interface InboundMessage {
  providerId: string;
  /** E.164. */
  from: string;
  /** Our number that received it: E.164, or a short code. */
  to: string;
  body: string;
  receivedAt?: Date;
}

/** A delivery-status callback. `providerId` + `status` is its idempotency key. */
export interface StatusUpdate {
  providerId: string;
  status: MessageStatus;
  errorCode?: number;
  /** The effect that sent the message, when the callback URL carries it (see the Twilio adapter). */
  effectId?: string;
}

/** A webhook as the route received it: the full public URL it was posted to, its form fields and signature header. */
export interface WebhookRequest {
  url: string;
  params: Record<string, string>;
  signature: string | null;
}

export interface MessagingProvider {
  readonly name: string;
  /** Sends one SMS. At most once per `effectId`: see the adapter for what backs that. Throws ProviderError. */
  send(msg: OutboundMessage): Promise<SendResult>;
  /** The provider's current status of a message sent earlier: reconciles an effect whose worker died after sending. */
  fetchStatus(providerId: string): Promise<MessageState>;
  /** Finds the message sent for an effect, when the provider can look it up (the sandbox can, Twilio cannot). */
  findByEffectId?(effectId: string): Promise<SendResult | undefined>;
  /** Reads an inbound-message webhook. Call `verifyWebhook` first. Throws WebhookPayloadError. */
  parseInbound(form: Record<string, string>): InboundMessage;
  /** Reads a delivery-status webhook; `url` (as in `verifyWebhook`) lets it recover the effect id. Throws WebhookPayloadError. */
  parseStatus(form: Record<string, string>, url?: string): StatusUpdate;
  /** Whether a webhook carries the provider's valid signature for that exact URL and those exact fields. */
  verifyWebhook(req: WebhookRequest): boolean;
}
