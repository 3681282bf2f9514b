import type { AnyEventObject } from 'xstate';
import type { SendDecision } from '@/lib/compliance/evaluate-send';
import { resolveZones } from '@/lib/compliance/zones';
import { consentLevelOf, type ConsentLevel, type ContactLocation, type LedgerEntry, type Purpose } from '@/lib/compliance/types';
import { createFlowMachine, type FlowMachine } from '@/lib/flow/compile';
import { nodeIdOfState, type FlowEvent, type SendSmsParams } from '@/lib/flow/machine-events';
import type { FlowDocument } from '@/lib/flow/schema';
import { renderTemplate } from '@/lib/flow/templates';
import {
  checkAnswer,
  clarificationText,
  decideSend,
  decideSendUnguarded,
  DEFAULT_KEYWORD_TEXTS,
  failedEventOf,
  keywordAnswer,
  normalizeIdentityAnswer,
  OTP_LIFETIME_MS,
  planEffect,
  routeReply,
  sentEventOf,
  startRun,
  stepRun,
  templateScope,
  type Effect,
  type EffectPlan,
  type IdentityMethod,
  type KeywordTexts,
  type OutboundText,
  type StepResult,
  type StoredSnapshot,
} from '@/lib/runtime/interpret';

/**
 * The simulator: one run of a compiled flow against a virtual contact and a
 * virtual clock, entirely in memory. It is a shell around the runtime's
 * interpreter (`lib/runtime/interpret`), as the engine is: the same machine
 * step, the same plan for every effect, the same send-time guard, the same
 * routing of STOP/HELP/START and the same keyword answers; only the facts
 * come from memory and the clock moves when the caller advances it. Pure:
 * every function returns a new state.
 */

/** A contact for simulation: where they are, what the ledger says, and what identity checks compare with. */
export interface VirtualContact extends ContactLocation {
  consent: ConsentLevel;
  firstName?: string;
  /** The ZIP on the contact record that a `zip` identity check compares with (defaults to `zip`). */
  verifyZip?: string;
  /** Date of birth on record, `YYYY-MM-DD`, for `dob` identity checks. */
  dob?: string;
}

export interface SimulationOptions {
  flow: FlowDocument;
  contact: VirtualContact;
  /** The virtual clock's start. */
  start: Date;
  vars?: Record<string, unknown>;
  /** `runtime` applies the send-time guard like production; `none` only holds deferred sends for the window (for proving the static analysis alone). */
  guard?: 'runtime' | 'none';
  /** The business's keyword answers (Settings); by default the defaults, under the flow's brand. */
  keywordTexts?: Partial<KeywordTexts>;
  /** Operator switch: marketing paused to these states. */
  pausedStates?: string[];
}

export interface SimMessage {
  direction: 'out' | 'in';
  body: string;
  at: string;
  nodeId?: string;
}

export interface SimLogEntry {
  at: string;
  text: string;
  nodeId?: string;
}

/** What the simulator records of every text it sends, for the editor's timeline and for soundness checks. */
export interface SimSend {
  at: string;
  nodeId?: string;
  kind: SendSmsParams['kind'] | 'system';
  purpose: Purpose;
  sendNow: boolean;
  /** The analyzer's notion: the first text after a reply, keyword or payment event, with no wait between. */
  answering: boolean;
  consentAtSend: ConsentLevel;
  verifiedBefore: boolean;
}

/** A text waiting to go: the effect it belongs to, and what fills it beyond the run's scope (a code, a link). */
interface PendingSend {
  effectId: string;
  text: OutboundText;
  extraScope?: Record<string, unknown>;
}

export interface SimTimer {
  key: string;
  due: string;
  label: string;
  event?: AnyEventObject;
  hold?: PendingSend;
}

export interface SimState {
  flowId: string;
  guard: 'runtime' | 'none';
  keywordTexts: KeywordTexts;
  pausedStates: string[];
  contact: VirtualContact;
  now: string;
  step: number;
  snapshot: StoredSnapshot;
  status: 'running' | 'ended' | 'stopped';
  /** The contact's consent ledger: what they had at the start, then every grant and revocation of the run. */
  ledger: LedgerEntry[];
  messages: SimMessage[];
  log: SimLogEntry[];
  timers: SimTimer[];
  sends: SimSend[];
  verification?: { nodeId: string; method: IdentityMethod; expected: string; attemptsLeft: number; expiresAt?: string };
  payment?: { nodeId: string; amount: number; currency: string; link: string };
  verified: boolean;
  /** The contact's last text, and whether a text has answered it since. */
  inbound?: { at: string; answered: boolean };
  /** The analyzer's notion of answering (see `SimSend.answering`). */
  answering: boolean;
  marketingSends: string[];
}

/** The node the run is at. */
export function currentNodeId(sim: SimState): string {
  return nodeIdOfState(sim.snapshot.value);
}

/** The contact's consent as the ledger reads now. */
export function consentOf(sim: SimState): ConsentLevel {
  return consentLevelOf(sim.ledger);
}

const RUN_ID = 'sim';
/** Bound on effects performed for one input: a flow that sends in a loop without waiting is stopped, not hung. */
const MAX_EFFECTS_PER_INPUT = 2_000;

/** A simulation's machine: compile once and pass it to every call. */
export function simulationMachine(flow: FlowDocument): FlowMachine {
  return createFlowMachine(flow);
}

/** Starts the run at `start`: enters the trigger and performs every effect due at once. */
export function startSimulation(machine: FlowMachine, opts: SimulationOptions): SimState {
  const contactScope = opts.contact.firstName ? { first_name: opts.contact.firstName } : {};
  const result = startRun(machine, RUN_ID, { vars: opts.vars ?? {}, contact: contactScope });
  const trigger = opts.flow.nodes.find((n) => n.type === 'trigger');
  const sim: SimState = {
    flowId: opts.flow.id,
    guard: opts.guard ?? 'runtime',
    keywordTexts: { ...DEFAULT_KEYWORD_TEXTS, brand: opts.flow.policy.brand, ...opts.keywordTexts },
    pausedStates: opts.pausedStates ?? [],
    contact: opts.contact,
    now: opts.start.toISOString(),
    step: 0,
    snapshot: result.snapshot,
    status: 'running',
    ledger: ledgerFor(opts.contact.consent),
    messages: [],
    log: [{ at: opts.start.toISOString(), text: 'Run started', nodeId: trigger?.id }],
    timers: [],
    sends: [],
    verified: false,
    answering: trigger?.type === 'trigger' && trigger.data.kind === 'keyword',
    marketingSends: [],
  };
  return drain(machine, sim, result);
}

/** A ledger whose level is `level`. */
function ledgerFor(level: ConsentLevel): LedgerEntry[] {
  if (level === 'granted') return [{ action: 'grant', purpose: 'marketing' }];
  if (level === 'informational') return [{ action: 'grant', purpose: 'informational' }];
  if (level === 'revoked') return [{ action: 'revoke', purpose: 'all' }];
  return [];
}

/** The contact texts back: routed as the runtime routes it (`routeReply`): STOP, HELP and START first. */
export function simulateReply(machine: FlowMachine, prev: SimState, text: string): SimState {
  const sim = clone(prev);
  sim.messages.push({ direction: 'in', body: text, at: sim.now });
  sim.inbound = { at: sim.now, answered: false };
  const running = sim.status === 'running';
  const verifying = running && sim.verification !== undefined && sim.verification.nodeId === currentNodeId(sim);
  const route = routeReply(text, {
    consent: consentOf(sim),
    run: !running ? 'none' : verifying ? 'verifying' : 'waiting',
    flowTakesIt: running && !verifying && stepRun(machine, RUN_ID, sim.snapshot, { type: 'reply', text }, sim.step + 1).changed,
  });
  if ((route.to === 'flow' || route.to === 'no-run') && route.clarify) {
    log(sim, 'The reply may be an opt-out: asked once whether they want to stop all texts');
    systemText(sim, clarificationText(sim.keywordTexts));
  }
  switch (route.to) {
    case 'stop':
      // FCC 24-24: a STOP revokes consent at once; one confirmation within 5 minutes, nothing else (47 CFR 64.1200(a)(12)).
      sim.ledger.push({ action: 'revoke', purpose: 'all' });
      log(sim, 'STOP received: consent revoked for every purpose, run ended');
      systemText(sim, keywordAnswer('stop', sim.keywordTexts));
      if (sim.status === 'running') sim.status = 'stopped';
      sim.timers = [];
      return sim;
    case 'help':
      systemText(sim, keywordAnswer('help', sim.keywordTexts));
      return sim;
    case 'start':
      sim.ledger.push({ action: 'grant', purpose: 'informational' });
      log(sim, `START received: consent restored (${consentOf(sim)})`);
      systemText(sim, keywordAnswer('start', sim.keywordTexts));
      return sim;
    case 'no-run':
      log(sim, 'Reply received after the run ended: nothing happens');
      return sim;
    case 'identity':
      return checkIdentityReply(machine, sim, text);
    case 'flow':
      sim.answering = true;
      return deliver(machine, sim, { type: 'reply', text });
    default: {
      const unknown: never = route;
      throw new Error(`reply route ${JSON.stringify(unknown)} is not handled`);
    }
  }
}

/** The payment page reports the outcome of the pending payment request. */
export function simulatePayment(machine: FlowMachine, prev: SimState, outcome: 'paid' | 'failed'): SimState {
  if (!prev.payment || prev.status !== 'running') return prev;
  const sim = clone(prev);
  const { nodeId, amount } = sim.payment!;
  delete sim.payment;
  sim.answering = true;
  log(sim, outcome === 'paid' ? `Payment of ${amount.toFixed(2)} received` : 'Payment failed', nodeId);
  const event: FlowEvent =
    outcome === 'paid'
      ? { type: 'payment.paid', nodeId, amount, receiptUrl: 'https://pay.optline.test/receipt/sim' }
      : { type: 'payment.failed', nodeId, reason: 'card declined (simulated)' };
  return deliver(machine, sim, event);
}

/** When the next timer or held text falls due, or null when nothing is waiting. */
export function nextDue(sim: SimState): SimTimer | null {
  if (sim.status !== 'running' || sim.timers.length === 0) return null;
  return sim.timers.reduce((a, b) => (b.due < a.due ? b : a));
}

/** Moves the clock to the next timer or held text and fires it. */
export function advanceToNextTimer(machine: FlowMachine, prev: SimState): SimState {
  const due = nextDue(prev);
  if (!due) return prev;
  const sim = clone(prev);
  sim.now = due.due;
  sim.timers = sim.timers.filter((t) => t.key !== due.key);
  if (due.hold) {
    const answer = sendOrHold(sim, due.hold);
    return answer ? deliver(machine, sim, answer) : sim;
  }
  sim.answering = false;
  log(sim, due.label);
  return deliver(machine, sim, due.event!);
}

// Driving the machine ---------------------------------------------------------

function deliver(machine: FlowMachine, sim: SimState, event: AnyEventObject): SimState {
  sim.step += 1;
  const result = stepRun(machine, RUN_ID, sim.snapshot, event, sim.step);
  return drain(machine, sim, result);
}

/** Applies a step's result, then performs its effects in order, feeding their answers back until the run waits. */
function drain(machine: FlowMachine, sim: SimState, first: StepResult): SimState {
  const queue: AnyEventObject[] = [];
  let result: StepResult | null = first;
  let performed = 0;
  while (result) {
    sim.snapshot = result.snapshot;
    for (const timer of result.timers) {
      sim.timers = sim.timers.filter((t) => t.key !== timer.key);
      if (timer.op === 'schedule') {
        const due = new Date(Date.parse(sim.now) + timer.delayMs).toISOString();
        sim.timers.push({ key: timer.key, due, event: timer.event, label: `Timer at ${currentNodeId(sim)} fired` });
      }
    }
    for (const effect of result.effects) {
      if (++performed > MAX_EFFECTS_PER_INPUT) {
        log(sim, 'Stopped: the flow keeps sending without waiting (send-loop)');
        sim.status = 'ended';
        return sim;
      }
      const answer = perform(sim, effect);
      if (answer) queue.push(answer);
    }
    if (sim.status !== 'running') return sim;
    const next = queue.shift();
    if (!next) break;
    sim.step += 1;
    result = stepRun(machine, RUN_ID, sim.snapshot, next, sim.step);
  }
  if (sim.snapshot.status === 'done' && sim.status === 'running') sim.status = 'ended';
  return sim;
}

/** Performs an effect as the interpreter plans it, from the facts in memory; returns the event that answers it at once, if any. */
function perform(sim: SimState, effect: Effect): AnyEventObject | null {
  const plan: EffectPlan = planEffect(effect, {
    now: new Date(sim.now),
    consent: consentOf(sim),
    contact: sim.contact,
    onRecord: { zip: sim.contact.verifyZip ?? sim.contact.zip, dob: sim.contact.dob },
    scope: scope(sim),
  });
  const nodeId = effect.params.nodeId;
  switch (plan.do) {
    case 'send':
      return sendOrHold(sim, { effectId: effect.id, text: plan.text });
    case 'answer':
      log(sim, describeAnswer(plan.event), nodeId);
      return plan.event;
    case 'wait':
      sim.timers.push({ key: plan.key, due: plan.until.toISOString(), event: plan.event, label: `Window opened` });
      log(sim, `Waiting for the window (${describeLocal(plan.until, resolveZones(sim.contact))})`, nodeId);
      return null;
    case 'stall':
      log(sim, `Stuck: ${plan.reason}`, nodeId);
      return null;
    case 'verify': {
      const expected = plan.expected ?? oneTimeCode(effect.id);
      const expiresAt = plan.method === 'otp' ? new Date(Date.parse(sim.now) + OTP_LIFETIME_MS).toISOString() : undefined;
      sim.verification = { nodeId, method: plan.method, expected, attemptsLeft: plan.maxAttempts, ...(expiresAt ? { expiresAt } : {}) };
      return sendOrHold(sim, {
        effectId: effect.id,
        text: plan.text,
        extraScope: plan.method === 'otp' ? { verify: { code: expected } } : {},
      });
    }
    case 'charge': {
      const link = `https://pay.optline.test/sim/${nodeId}`;
      sim.payment = { nodeId, amount: Number(plan.amount), currency: plan.currency, link };
      return sendOrHold(sim, { effectId: effect.id, text: plan.text, extraScope: { payment: { link, amount: plan.amount } } });
    }
    case 'record-consent':
      sim.ledger.push({ action: 'grant', purpose: plan.purpose });
      log(sim, `Consent granted (${plan.purpose}, ${plan.mode})`, nodeId);
      return null;
    case 'nothing':
      log(sim, 'Opt-in declined: nothing recorded', nodeId);
      return null;
    case 'end':
      log(
        sim,
        effect.type === 'endRun' && effect.params.reason === 'unconnected'
          ? `Run ended: output "${effect.params.output}" leads nowhere`
          : 'Run ended',
        nodeId,
      );
      sim.status = 'ended';
      sim.timers = [];
      return null;
    default: {
      const unknown: never = plan;
      throw new Error(`plan ${JSON.stringify(unknown)} is not handled`);
    }
  }
}

/** One line for the log about an answer the interpreter gave at once. */
function describeAnswer(event: AnyEventObject): string {
  switch (event.type) {
    case 'consent.granted':
      return 'Consent check: granted';
    case 'consent.missing':
      return 'Consent check: missing';
    case 'window.open':
      return 'Inside the window: going on at once';
    default:
      return `Cannot go on: ${String(event.reason ?? event.type)}`;
  }
}

// Sending ----------------------------------------------------------------------

function sendOrHold(sim: SimState, send: PendingSend): AnyEventObject | null {
  const decision = decide(sim, send.text);
  if (decision.verdict === 'allow') return deliverText(sim, send);
  const nodeId = send.text.nodeId;
  if (decision.verdict === 'defer' && decision.until) {
    const label = `Held until ${describeLocal(new Date(decision.until), decision.zones)}`;
    sim.timers.push({ key: `hold:${send.effectId}`, due: decision.until, label, hold: send });
    log(sim, `${label}: ${decision.reason}`, nodeId);
    return null;
  }
  log(sim, `Blocked: ${decision.reason}`, nodeId);
  if (send.text.kind === 'verify') delete sim.verification;
  if (send.text.kind === 'payment') delete sim.payment;
  return failedEventOf(send.text, decision.reason);
}

function decide(sim: SimState, text: OutboundText): SendDecision {
  const facts = { now: new Date(sim.now), contact: sim.contact, recentSends: sim.marketingSends.map((s) => new Date(s)) };
  if (sim.guard === 'none') return decideSendUnguarded(text, facts);
  return decideSend(text, {
    ...facts,
    consent: consentOf(sim),
    ...(sim.inbound ? { inbound: { at: new Date(sim.inbound.at), answered: sim.inbound.answered } } : {}),
    pausedStates: sim.pausedStates,
  });
}

function deliverText(sim: SimState, send: PendingSend): AnyEventObject | null {
  const { text } = send;
  const body = renderTemplate(text.body, { ...scope(sim), ...send.extraScope });
  sim.messages.push({ direction: 'out', body, at: sim.now, nodeId: text.nodeId });
  sim.sends.push({
    at: sim.now,
    nodeId: text.nodeId,
    kind: text.kind,
    purpose: text.purpose,
    sendNow: text.outsideHours === 'send',
    answering: sim.answering,
    consentAtSend: consentOf(sim),
    verifiedBefore: sim.verified,
  });
  if (text.purpose === 'marketing') sim.marketingSends.push(sim.now);
  if (sim.inbound) sim.inbound.answered = true;
  sim.answering = false;
  return sentEventOf(text);
}

/** A text Optline sends on its own (STOP confirmation, HELP answer, retry prompts): consumer-initiated, never marketing. */
function systemText(sim: SimState, body: string): void {
  sim.messages.push({ direction: 'out', body, at: sim.now });
  sim.sends.push({
    at: sim.now,
    kind: 'system',
    purpose: 'informational',
    sendNow: true,
    answering: true,
    consentAtSend: consentOf(sim),
    verifiedBefore: sim.verified,
  });
  if (sim.inbound) sim.inbound.answered = true;
}

function checkIdentityReply(machine: FlowMachine, sim: SimState, text: string): SimState {
  const v = sim.verification!;
  const matches = normalizeIdentityAnswer(text, v.method) === normalizeIdentityAnswer(v.expected, v.method);
  const outcome = checkAnswer(
    { nodeId: v.nodeId, attemptsLeft: v.attemptsLeft, ...(v.expiresAt ? { expiresAt: new Date(v.expiresAt) } : {}) },
    matches,
    new Date(sim.now),
  );
  if ('retry' in outcome) {
    v.attemptsLeft = outcome.retry.attemptsLeft;
    log(sim, `Wrong answer: ${v.attemptsLeft} attempt${v.attemptsLeft === 1 ? '' : 's'} left`, v.nodeId);
    systemText(sim, outcome.retry.text);
    return sim;
  }
  delete sim.verification;
  sim.answering = true;
  if (outcome.event.type === 'identity.verified') {
    sim.verified = true;
    log(sim, 'Identity verified', v.nodeId);
  } else log(sim, `Identity not verified: ${String(outcome.event.reason)}`, v.nodeId);
  return deliver(machine, sim, outcome.event);
}

/** A deterministic six-digit code for the simulation (the runtime draws a random one). */
function oneTimeCode(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return String(h % 1_000_000).padStart(6, '0');
}

function scope(sim: SimState): Record<string, unknown> {
  const base = templateScope(sim.snapshot.context, sim.snapshot.context.contact ?? {});
  // A payment link still pending is on offer in the texts that follow it.
  return sim.payment
    ? { ...base, payment: { ...(base.payment as object), link: sim.payment.link, amount: sim.payment.amount.toFixed(2) } }
    : base;
}

function log(sim: SimState, text: string, nodeId?: string): void {
  sim.log.push(nodeId ? { at: sim.now, text, nodeId } : { at: sim.now, text });
}

/** "08:00 (America/Chicago)": the local time in the first zone, as the phone mock shows holds. */
export function describeLocal(at: Date, zones: readonly string[]): string {
  const zone = zones[0] ?? 'UTC';
  const time = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${time} (${zone}${zones.length > 1 ? ` and ${zones.length - 1} more` : ''})`;
}

function clone(sim: SimState): SimState {
  return structuredClone(sim);
}
