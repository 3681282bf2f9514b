// Outbound webhook events: their catalog, the retry schedule and where a delivery may go. Pure; safe in the browser.
export {
  OUTBOUND_EVENT_DESCRIPTIONS,
  OUTBOUND_EVENT_TYPES,
  isOutboundEventType,
  orderKeyOf,
  type OutboundEvent,
  type OutboundEventType,
} from './event-types';
export { RETRY_WINDOW_MS, nextAttemptAt, retryDelayMs, retryTimeline } from './retry-schedule';
export { judgeAddress, parseIPv4, parseIPv6, urlProblem, type AddressVerdict, type UrlPolicy } from './address-policy';
