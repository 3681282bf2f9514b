// Runs: starting them (by API and by event), cancelling, and reading them back.
export { cancelRun } from './cancel-run';
export { funnelOf, type FlowFunnel, type FunnelResponse } from './funnel';
export { maskPhone } from './mask-phone';
export { eventBody, runBody, type ContactEvent, type RunStart } from './run-bodies';
export { runInspection, type RunTimelineResponse } from './run-inspection';
export { decodeRunCursor, encodeRunCursor, runListPage, type RunListItem, type RunListResponse } from './run-list';
export { runPath, type PathMove, type RunPath } from './run-path';
export { engineFailure, runStarts, type EventOutcome, type RunDeps, type RunStarts, type StartedRun } from './run-starts';
export { runView, type RunView } from './run-view';
export { buildTimeline, type TimelineItem, type TimelineParts } from './timeline';
export { dayAfter, startOfDay, utcDate } from './utc-day';
