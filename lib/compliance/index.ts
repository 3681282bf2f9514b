// The compliance rules, pure (no I/O, no clock): consent, quiet hours and state rules, reply classification, content checks. Safe in the browser.
export { classifyReply, MAX_CLASSIFIED_LENGTH } from './classify-reply';
export { checkOptinDisclosures, describeMissingDisclosures, findCardDataRequests } from './content-rules';
export { evaluateSend, type SendDecision } from './evaluate-send';
export { formatLocal, isKnownZone, localTimeParts, zonedInstant } from './local-time';
export { policyWindow, type QuietHoursPolicy } from './policy-window';
export { countSegments, segmentWarning } from './segments';
export { isUsState } from './states';
export { consentCovers, type ConsentLevel, consentLevelOf, type ContactLocation, type LedgerEntry, type Purpose } from './types';
export { resolveZones } from './zones';
