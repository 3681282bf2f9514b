// Flows: drafts, versions, review and activation. The publishing rules
// (approval bindings) stay in lib/runtime/approval-gate.ts, where the engine
// checks them at every run start; they are part of this surface.
export { createBody, flowService, renameBody, summarize, type FlowService, type FlowSummary } from './flow-service';
export { flowText, importBody, jsonbBytes, jsonOfJsonb, readImportBody, saveBody, type FlowText } from './flow-bodies';
export { editorView, editorViewText, type EditorView } from './editor-view';
export { checkFlowSize, FLOW_LIMITS } from './flow-limits';
export { problemDetails } from './problem-details';
export { draftCheck, type DraftCheck } from './draft-check';
export { REVIEW_QUEUE_LIMIT, reviewQueue, reviewQueueCount, type LatestVersion, type QueueItem } from './review-queue';
export {
  authorshipOf,
  canDecide,
  publicVersion,
  reviewBody,
  versionService,
  type CanDecide,
  type PublicReview,
  type PublicVersion,
  type SubmitOutcome,
  type VersionDetail,
  type VersionService,
} from './version-service';
export {
  approvalVerdict,
  currentBinding,
  reportHash,
  type ApprovalBinding,
  type CurrentBinding,
  type GateVerdict,
} from '@/lib/runtime/approval-gate';
