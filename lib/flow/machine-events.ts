import type { Purpose } from '@/lib/compliance/types';

/**
 * The vocabulary a compiled flow machine speaks (`compile.ts` builds the
 * machine; the runtime and the editor's simulator drive it). Nothing runs
 * inside the machine: it only *names* what must happen, and the caller reads
 * those names from the actions that XState's pure `initialTransition()` /
 * `transition()` return.
 *
 * ## Driving a run
 *
 * ```ts
 * const machine = createFlowMachine(config);            // once per version: costly at 10k states
 * let [snapshot, actions] = initialTransition(machine, { vars, contact });
 * [snapshot, actions] = transition(machine, snapshot, { type: 'sms.sent', nodeId: 'notice' });
 * ```
 *
 * Each returned action is `{ type, params, … }` (ignore the other fields:
 * they hold functions). Handle them in order:
 *
 * - an effect (`type` in {@link EFFECT_TYPES}): perform it outside the
 *   machine (see {@link FlowEffect} for each one's params and what the machine
 *   then waits for);
 * - `xstate.raise` with a numeric `params.delay`: a **timer**. Schedule it
 *   under the key `params.id`; when `params.delay` milliseconds have elapsed
 *   from this transition, send `params.event` (an object `{ type: params.id }`,
 *   e.g. `{ type: 'xstate.after.172800000.pay-by-text.notice.waiting' }`) back
 *   to the machine with `transition()`. Replace any timer already scheduled
 *   under the same key (re-entering a state re-arms its timer with the same id);
 * - `xstate.cancel`: cancel the timer whose key is `params.sendId` (its state
 *   was left). The transition a timer firing causes also leaves its state, so
 *   it returns the cancel of that very timer: a no-op for a job already run.
 *   A timer that still fires for a state already left is harmless: the
 *   machine ignores it (same snapshot, no actions). Re-entering the same state
 *   (a loop) re-arms the same key, so a firing the queue could not cancel in
 *   time would be taken for the new one: the runtime drops a firing that
 *   belongs to an earlier arming (lib/runtime/step.ts keeps a step number);
 * - any other `xstate.*` action (context assignments): already applied by
 *   `transition()` to the returned snapshot; nothing to do.
 *
 * The machine never raises an undelayed event, never invokes actors and never
 * reads the clock: timer arithmetic (and quiet-hours deferral) is the
 * runtime's. Texts (`body`, `text`, `description`, a string `amount`) are the
 * flow's raw Liquid templates; the executor renders them with
 * `renderTemplate(template, { vars, contact, reply, payment })` from the
 * snapshot's context at the moment it performs the effect (plus
 * `payment.link` for a payment request, `verify.code` for a one-time code).
 *
 * ## Where a run is
 *
 * One top-level state per node, keyed by the node id. `consent.request` and
 * `message.ask` nodes have two sub-states (`sending`, then `awaiting` or
 * `waiting`) so that a timeout counts from the moment the text was actually
 * sent, not from when it was queued (a deferred send may be held overnight):
 * their snapshot value is `{ [nodeId]: 'sending' }`. Use
 * {@link nodeIdOfState} to read the node a snapshot is at. The shared final
 * state {@link UNCONNECTED_STATE} is where an output without an edge leads.
 */

// Events in ------------------------------------------------------------------

/**
 * The contact texted back. The machine classifies the text itself where it
 * must (consent answers: yes/start grant, no/stop decline, anything else
 * waits). States that await no reply ignore it: during `verify.identity` the
 * runtime hands replies to the verifier, which answers with `identity.*`.
 * STOP and HELP are the runtime's to act on first (COMPLIANCE.md, "Replies").
 */
export interface ReplyEvent {
  type: 'reply';
  text: string;
}

/** A `sendSms` left the provider (`sms.sent`) or could not be sent (`sms.failed`). */
export interface SmsSentEvent {
  type: 'sms.sent';
  nodeId: string;
}
export interface SmsFailedEvent {
  type: 'sms.failed';
  nodeId: string;
  reason?: string;
}

/** The answer to a `checkConsent`: the ledger covers the purpose (`granted`) or not (`missing`). */
export interface ConsentGrantedEvent {
  type: 'consent.granted';
  nodeId: string;
}
export interface ConsentMissingEvent {
  type: 'consent.missing';
  nodeId: string;
}

/** The answer to a `waitForWindow`: the contact's local time is inside the window (at once, or later). */
export interface WindowOpenEvent {
  type: 'window.open';
  nodeId: string;
}

/** The outcome of a `startVerification` (the verifier reads the contact's replies itself). */
export interface IdentityVerifiedEvent {
  type: 'identity.verified';
  nodeId: string;
}
export interface IdentityFailedEvent {
  type: 'identity.failed';
  nodeId: string;
  reason?: string;
}

/** The outcome of a `requestPayment`, from the payment provider's webhook. */
export interface PaymentPaidEvent {
  type: 'payment.paid';
  nodeId: string;
  amount: number;
  receiptUrl?: string;
}
export interface PaymentFailedEvent {
  type: 'payment.failed';
  nodeId: string;
  reason: string;
}

/**
 * Every event the runtime and the simulator send, apart from timer firings.
 * An event with a `nodeId` is accepted only while the run is at that node, so
 * a late answer for an earlier node changes nothing.
 */
export type FlowEvent =
  | ReplyEvent
  | SmsSentEvent
  | SmsFailedEvent
  | ConsentGrantedEvent
  | ConsentMissingEvent
  | WindowOpenEvent
  | IdentityVerifiedEvent
  | IdentityFailedEvent
  | PaymentPaidEvent
  | PaymentFailedEvent;

export type FlowEventType = FlowEvent['type'];

/** The event types of {@link FlowEvent}, for validating what an API caller or a webhook hands in. */
export const EVENT_TYPES = [
  'reply',
  'sms.sent',
  'sms.failed',
  'consent.granted',
  'consent.missing',
  'window.open',
  'identity.verified',
  'identity.failed',
  'payment.paid',
  'payment.failed',
] as const satisfies readonly FlowEventType[];

/**
 * A timer firing: the event carried by an `xstate.raise` action with a delay,
 * sent back unchanged. Its type is `xstate.after.<ms>.<state id>`.
 */
export interface TimerEvent {
  type: `xstate.after.${string}`;
}

/** Whether an event is a timer firing rather than a {@link FlowEvent}. */
export function isTimerEvent(event: { type: string }): event is TimerEvent {
  return event.type.startsWith('xstate.after.');
}

// Effects out ------------------------------------------------------------------

/**
 * Which kind of text a `sendSms` is: `message` (message.send), `ask`
 * (message.ask: a reply is awaited), `consent` (the opt-in request or notice
 * itself: exempt from the consent check, COMPLIANCE.md "Static rules").
 * `verify` and `payment` are the texts the executors of `startVerification`
 * and `requestPayment` send on their own; the machine never emits them.
 */
export type SmsKind = 'message' | 'ask' | 'consent' | 'verify' | 'payment';

/**
 * Text the contact. Answer with `sms.sent` or `sms.failed` (same `nodeId`).
 * `outsideHours: 'defer'` holds the text until the contact's window opens;
 * `'send'` sends at once where the send-time guard allows it.
 */
export interface SendSmsParams {
  nodeId: string;
  purpose: Purpose;
  body: string;
  outsideHours: 'defer' | 'send';
  kind: SmsKind;
}

/**
 * Append a consent event to the ledger (never edited): `grant` after a YES
 * or at the end of an unanswered notice period, `decline` after a NO. `text`
 * is the opt-in text that was shown (the raw template: render it as it was
 * sent). No answer is expected.
 */
export interface RecordConsentParams {
  nodeId: string;
  purpose: Purpose;
  action: 'grant' | 'decline';
  mode: 'explicit' | 'notice';
  text: string;
}

/** Look the contact's number up in the consent ledger for `purpose`. Answer with `consent.granted` or `consent.missing`. */
export interface CheckConsentParams {
  nodeId: string;
  purpose: Purpose;
}

/**
 * Wait until the contact's local time is inside `from`–`to` (`HH:MM`, on
 * `days` when given). Answer with `window.open`: at once if inside now, else
 * at the next opening.
 */
export interface WaitForWindowParams {
  nodeId: string;
  from: string;
  to: string;
  days?: string[];
}

/** How a contact proves who they are: a one-time code, or the ZIP code or date of birth on their record. */
export type IdentityMethod = 'otp' | 'zip' | 'dob';

/**
 * Verify who the contact is: send `body`, read their replies (a one-time
 * code for `otp`; the ZIP code or date of birth on the contact record for
 * `zip` / `dob`), allow `maxAttempts`. Answer with `identity.verified` or
 * `identity.failed`. The node's timeout is the machine's own timer.
 */
export interface StartVerificationParams {
  nodeId: string;
  method: IdentityMethod;
  body: string;
  maxAttempts: number;
}

/**
 * Create a hosted payment link for `amount` (a number, or a template such as
 * `{{vars.amount_due}}`) in `currency`, valid for `expiresIn` (ISO 8601),
 * and text `body` with `{{payment.link}}` filled in. Answer with
 * `payment.paid` or `payment.failed`; expiry is the machine's own timer.
 */
export interface RequestPaymentParams {
  nodeId: string;
  amount: number | string;
  currency: string;
  description: string;
  body: string;
  expiresIn: string;
}

/**
 * The run is over: it reached an `end` node (`reason: 'end'`), or an output
 * with no edge (`reason: 'unconnected'`, `output` names it). Close the run.
 */
export type EndRunParams = { nodeId: string; reason: 'end' } | { nodeId: string; reason: 'unconnected'; output: string };

/** Every effect the machine names, as `{ type, params }`. */
export type FlowEffect =
  | { type: 'sendSms'; params: SendSmsParams }
  | { type: 'recordConsent'; params: RecordConsentParams }
  | { type: 'checkConsent'; params: CheckConsentParams }
  | { type: 'waitForWindow'; params: WaitForWindowParams }
  | { type: 'startVerification'; params: StartVerificationParams }
  | { type: 'requestPayment'; params: RequestPaymentParams }
  | { type: 'endRun'; params: EndRunParams };

export type FlowEffectType = FlowEffect['type'];

export const EFFECT_TYPES = [
  'sendSms',
  'recordConsent',
  'checkConsent',
  'waitForWindow',
  'startVerification',
  'requestPayment',
  'endRun',
] as const satisfies readonly FlowEffectType[];

/** Whether an action returned by `transition()` is one of the effects the runtime performs. */
export function isFlowEffect(action: { type: string }): action is FlowEffect {
  return (EFFECT_TYPES as readonly string[]).includes(action.type);
}

// Context assignments (pure; applied by transition(), not effects) -------------

/** Stores the reply's text and intent in `context.reply` (message.ask → `reply`). */
export interface StoreReplyAction {
  type: 'storeReply';
}
/** Stores a `payment.paid` event in `context.payment` (`amount`, `receipt_url`) for the receipt. */
export interface StorePaymentAction {
  type: 'storePayment';
}
/** Renders each template over `{ vars, contact, reply, payment }` into `context.vars[name]`. */
export interface SetVariablesAction {
  type: 'setVariables';
  params: { assign: Record<string, string> };
}

export type ContextAction = StoreReplyAction | StorePaymentAction | SetVariablesAction;

// Guards -----------------------------------------------------------------------

/** The event's `nodeId` is this node's (stale answers for other nodes are refused). */
export interface IsForNodeGuard {
  type: 'isForNode';
  params: { nodeId: string };
}
/** The reply's intent (classifyReply) is one of `intents` and not ambiguous. */
export interface ReplyIsGuard {
  type: 'replyIs';
  params: { intents: ReplyIntent[] };
}
/**
 * A split case: the reply text (`on: 'reply'`) or the variable (`on:
 * 'variable'`), trimmed and lower-cased, equals one of `equals`, or contains
 * one of `contains` as a whole word or phrase.
 */
export interface MatchesCaseGuard {
  type: 'matchesCase';
  params: { on: 'reply' | 'variable'; variable?: string; equals?: string[]; contains?: string[] };
}

export type FlowGuard = IsForNodeGuard | ReplyIsGuard | MatchesCaseGuard;

/** Reply intents (COMPLIANCE.md, "Replies"). */
export type ReplyIntent = 'stop' | 'start' | 'help' | 'yes' | 'no' | 'other';

// Context and input --------------------------------------------------------------

/**
 * What a run carries: flow variables, the contact's fields, the last reply and
 * the last payment. The runtime puts the contact's fields in for each step and
 * stores the snapshot without them (lib/runtime/step.ts, `withoutContact`).
 */
export interface FlowContext {
  vars: Record<string, unknown>;
  contact: Record<string, string>;
  reply?: { text: string; intent: string };
  payment?: { nodeId: string; amount: number; receipt_url?: string };
}

/** The machine's `input` when a run starts. */
export interface FlowInput {
  vars?: Record<string, unknown>;
  contact?: Record<string, string>;
}

// States -------------------------------------------------------------------------

/** The shared final state that every output without an edge leads to. Node ids cannot start with `_`. */
export const UNCONNECTED_STATE = '__unconnected';

/** Sub-states of `consent.request` and `message.ask` nodes. */
export const SENDING_STATE = 'sending';
export const AWAITING_STATE = 'awaiting';
export const NOTICE_WAITING_STATE = 'waiting';

/**
 * The node a snapshot value points at: the top-level state key, which is the
 * node id (or {@link UNCONNECTED_STATE}).
 */
export function nodeIdOfState(value: string | Record<string, unknown>): string {
  if (typeof value === 'string') return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new Error(`a flow machine is in exactly one node; got ${JSON.stringify(value)}`);
  return keys[0]!;
}
