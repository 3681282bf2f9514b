// The flow document and its machine, pure: schema, parsing, analysis, compilation, templates. Safe in the browser (it brings XState and zod).
export { analysisReport, type AnalysisReport, unacknowledgedWarnings } from './analysis-report';
export { analyzeFlow, ANALYZER_VERSION } from './analyze';
export { isInstantExit } from './analyze/rules/send-loop';
export { assertNever, NODE_CATALOG, outputsOf, quietHoursOf } from './catalog';
export { compileFlow, createFlowMachine, type FlowMachine, type FlowMachineConfig } from './compile';
export { diffFlows, type FlowDiff } from './diff';
export { describeDuration, parseDuration } from './duration';
export { flowJsonSchemaText } from './json-schema';
export {
  type CheckConsentParams,
  type FlowEffect,
  type FlowEvent,
  type IdentityMethod,
  isFlowEffect,
  nodeIdOfState,
  type RecordConsentParams,
  type RequestPaymentParams,
  type SendSmsParams,
  type SmsKind,
  type StartVerificationParams,
  UNCONNECTED_STATE,
  type WaitForWindowParams,
} from './machine-events';
export { chargeAmount, formatMinorUnits, fromMinorUnits, minorUnitDigits } from './money';
export { NODE_TYPES } from './node-types';
export { parseFlow, parseFlowJson } from './parse';
export { formatPath, formatProblem, hasErrors, type Problem } from './problem';
export {
  type FlowDocument,
  type FlowDraft,
  flowDraftSchema,
  type FlowEdge,
  type FlowNode,
  type FlowPolicy,
  MAX_PAYMENT_AMOUNT,
  nodeSchema,
  type NodeType,
} from './schema';
export { type StoredContext, type StoredSnapshot } from './snapshot';
export { loadTemplates, type TemplateSummary } from './templates-catalog';
export { checkTemplate, renderTemplate, TEMPLATE_ROOTS } from './templates';
export { type Day, DAYS, parseTimeOfDay } from './time-of-day';
