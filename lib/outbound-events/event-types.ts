/**
 * The events Optline tells registered webhook endpoints about (outbound
 * webhooks; the inbound provider webhooks are app/api/webhooks). Each
 * payload carries ids and outcomes only: never a one-time code, a token, a
 * payment link or personal data, but the contact's phone number where the
 * endpoint is allowed it (added at delivery, `includePhone`).
 */
export const OUTBOUND_EVENT_TYPES = [
  'run.started',
  'run.finished',
  'message.delivered',
  'message.failed',
  'contact.opted_out',
  'contact.opted_in',
  'payment.succeeded',
  'payment.failed',
  'identity.verified',
  'identity.failed',
  'version.approved',
  'version.activated',
] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** What each event means, for the settings form and the README. */
export const OUTBOUND_EVENT_DESCRIPTIONS: Record<OutboundEventType, string> = {
  'run.started': 'a run of a flow started for a contact',
  'run.finished': 'a run ended: outcome done, stopped (STOP, cancelled) or error',
  'message.delivered': 'the carrier reported a text delivered',
  'message.failed': 'a text failed: the carrier reported it failed or undelivered, or the send was refused',
  'contact.opted_out': 'a contact revoked consent (STOP, or recorded evidence)',
  'contact.opted_in': 'a contact gave consent (a YES, START, or recorded evidence)',
  'payment.succeeded': 'a payment requested by text was paid',
  'payment.failed': 'a payment requested by text failed or expired',
  'identity.verified': 'a contact passed an identity check',
  'identity.failed': 'a contact failed an identity check',
  'version.approved': 'a reviewer approved a flow version',
  'version.activated': 'a flow version was activated',
};

/** Whether a string names an event type. */
export function isOutboundEventType(value: unknown): value is OutboundEventType {
  return typeof value === 'string' && (OUTBOUND_EVENT_TYPES as readonly string[]).includes(value);
}

/** An event as the change that caused it records it (the outbox row's content). */
export interface OutboundEvent {
  type: OutboundEventType;
  /** The run it concerns: its events are delivered in order. */
  runId?: string | null;
  /** The contact it concerns (its phone is added at delivery where the endpoint allows it). */
  contactId?: string | null;
  /** Ids and outcomes only. */
  data: Record<string, string | number | boolean | null>;
}

/** The key whose deliveries go one at a time, in order: the run, else the contact, else the event alone. */
export function orderKeyOf(event: Pick<OutboundEvent, 'runId' | 'contactId'>, eventId: string): string {
  if (event.runId) return `run:${event.runId}`;
  if (event.contactId) return `contact:${event.contactId}`;
  return `event:${eventId}`;
}
