import type { MessageStatus } from '@/lib/providers/messaging';

/**
 * Twilio's message statuses reduced to the port's five
 * (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values).
 * Unknown values return undefined: the caller decides (a webhook rejects it).
 */
export function toMessageStatus(twilioStatus: string): MessageStatus | undefined {
  switch (twilioStatus) {
    // Accepted by Twilio, not yet handed to the carrier.
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
      return 'queued';
    // partially_delivered: some segments delivered, others not confirmed; delivery is not proven.
    case 'sent':
    case 'partially_delivered':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    // A canceled scheduled message never left: for the flow it failed.
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return undefined;
  }
}
