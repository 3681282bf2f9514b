// Server only: what the pages read, each call checking the actor's permission before any query.
export { auditLogPage, keywordSettings, ownAccount, ownTokens, userList } from './admin';
export { consentLedgerPage, type ConsentLedgerPage } from './consent-ledger';
export { contactDetail, contactSearchPage } from './contacts';
export { segmentDetail, segmentsPage, type SegmentChoices } from './segments';
export { campaignDetail, campaignFunnels, campaignsPage, type CampaignChoices } from './campaigns';
export {
  draftReadiness,
  flowById,
  flowList,
  flowReadOnly,
  flowReviewStatuses,
  flowVersions,
  reviewQueuePage,
  reviewQueueSize,
  versionReview,
} from './flows';
export { appNow, sandboxClockState } from './clock';
export { processData, type DataSource } from './source';
export { isSandboxMessaging, sandboxPhone, SANDBOX_PHONE_BOUNDS } from './sandbox-phone';
export { disabledWebhookEndpoints, webhookEndpointList } from './webhooks';
