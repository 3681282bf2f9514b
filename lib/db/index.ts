// Postgres: the repositories (the only code that writes SQL), the pool, migrations, the job queue. Server only: components never import it (eslint.config.js).
export { activeVersionRepository } from './active-version-repository';
export { type ApiToken, apiTokenRepository } from './api-token-repository';
export { type AuditEntry, type AuditFilter, listAudit, recordAudit } from './audit-repository';
export {
  type ConsentEvent,
  consentRepository,
  type ConsentRepository,
  type ConsentSource,
  type LedgerFilter,
  type LedgerVerdict,
  type NewConsentEvent,
} from './consent-repository';
export {
  type Contact,
  type ContactCursor,
  ContactExistsError,
  contactKeys,
  type ContactKeys,
  contactRepository,
  type ContactRepository,
  type ContactRun,
  type ContactUpdate,
  type NewContact,
} from './contact-repository';
export { database, openDatabase } from './database';
export { type EffectContext, type GuardRows, readEffectContexts } from './effect-context';
export { startEmbeddedServer } from './embedded-server';
export {
  type Flow,
  FlowExistsError,
  flowRepository,
  type FlowRepository,
  type FlowVersion,
  type FlowVersionStatus,
} from './flow-repository';
export { GroupCommit, storedByFirst } from './group-commit';
export { type AcceptedText, acceptInboundTexts, type InboundText, inboundTextRepository } from './inbound-text-repository';
export { addJob, advanceJobs } from './job-queue';
export { messageRepository, type OutboundClaim, type SentRecord } from './message-repository';
export { migrate, migrateJobQueue } from './migrate';
export { paymentRepository, type PaymentRow } from './payment-repository';
export { createPool } from './pool';
export { isPgError, type Queryable, withTransaction } from './queryable';
export { refundRepository } from './refund-repository';
export { type Review, reviewRepository } from './review-repository';
export {
  dashboardQueries,
  type FlowFunnel,
  type RunCursor,
  type RunEventRow,
  type RunListFilter,
  type RunMessageRow,
  type RunMove,
  type RunPaymentRow,
  runQueries,
  type RunStatus,
  type RunVerificationRow,
} from './run-queries';
export { type InboxEvent, type InboxKind, runRepository, type RunRow } from './run-repository';
export { runStepRepository } from './run-step-repository';
export { sandboxTextRepository } from './sandbox-text-repository';
export { type Settings, settingsRepository } from './settings-repository';
export { signInAttemptRepository } from './sign-in-attempt-repository';
export { StepWrites } from './step-writes';
export { type User, userRepository } from './user-repository';
export { type Verdict, verdictRepository } from './verdict-repository';
export { verificationRepository } from './verification-repository';
export { workerRegistry } from './worker-registry';
