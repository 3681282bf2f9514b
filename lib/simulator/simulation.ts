import type { AnyEventObject } from 'xstate';
import { classifyReply } from '@/lib/compliance/classify-reply';
import { evaluateSend, type SendDecision } from '@/lib/compliance/evaluate-send';
import { resolveZones } from '@/lib/compliance/zones';
import { consentCovers, type ConsentLevel, type ContactLocation, type Purpose } from '@/lib/compliance/types';
import { createFlowMachine, type FlowMachine } from '@/lib/flow/compile';
import { nodeIdOfState, type FlowEvent, type SendSmsParams } from '@/lib/flow/machine-events';
import type { FlowDocument } from '@/lib/flow/schema';
import { renderTemplate } from '@/lib/flow/templates';
import { startRun, stepRun, type Effect, type StepResult, type StoredSnapshot } from '@/lib/runtime/step';
import { normalizeIdentityAnswer } from '@/lib/runtime/identity-answer';
import { nextWindowOpening } from '@/lib/runtime/wait-window';

/**
 * The simulator: one run of a compiled flow against a virtual contact and a
 * virtual clock, entirely in memory. It performs effects the way the runtime
 * does — the same compiled machine, the same `evaluateSend` guard, the same
 * STOP/HELP/START handling — so what a marketer sees in the editor is what
 * the runtime would do. Pure: every function returns a new state; the clock
 * only moves when the caller advances it.
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
  helpText?: string;
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

interface PendingSend {
  effectId: string;
  nodeId: string;
  kind: SendSmsParams['kind'];
  purpose: Purpose;
  body: string;
  outsideHours: 'defer' | 'send';
  event?: FlowEvent;
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
  brand: string;
  guard: 'runtime' | 'none';
  helpText: string;
  pausedStates: string[];
  contact: VirtualContact;
  now: string;
  step: number;
  snapshot: StoredSnapshot;
  status: 'running' | 'ended' | 'stopped';
  ledger: ConsentLevel;
  ledgerBeforeStop?: ConsentLevel;
  messages: SimMessage[];
  log: SimLogEntry[];
  timers: SimTimer[];
  sends: SimSend[];
  verification?: { nodeId: string; method: 'otp' | 'zip' | 'dob'; expected: string; attemptsLeft: number };
  payment?: { nodeId: string; amount: number; currency: string; link: string };
  verified: boolean;
  lastInboundAt?: string;
  sentSinceInbound: boolean;
  answering: boolean;
  marketingSends: string[];
}

/** The node the run is at. */
export function currentNodeId(sim: SimState): string {
  return nodeIdOfState(sim.snapshot.value);
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
    brand: opts.flow.policy.brand,
    guard: opts.guard ?? 'runtime',
    helpText: opts.helpText ?? 'For help, call us.',
    pausedStates: opts.pausedStates ?? [],
    contact: opts.contact,
    now: opts.start.toISOString(),
    step: 0,
    snapshot: result.snapshot,
    status: 'running',
    ledger: opts.contact.consent,
    messages: [],
    log: [{ at: opts.start.toISOString(), text: 'Run started', nodeId: trigger?.id }],
    timers: [],
    sends: [],
    verified: false,
    sentSinceInbound: false,
    answering: trigger?.type === 'trigger' && trigger.data.kind === 'keyword',
    marketingSends: [],
  };
  return drain(machine, sim, result);
}

/** The contact texts back: STOP, HELP and START are honoured first, as in the runtime; anything else goes to the flow. */
export function simulateReply(machine: FlowMachine, prev: SimState, text: string): SimState {
  const sim = clone(prev);
  sim.messages.push({ direction: 'in', body: text, at: sim.now });
  sim.lastInboundAt = sim.now;
  sim.sentSinceInbound = false;
  const { intent } = classifyReply(text);
  if (intent === 'stop') {
    // FCC 24-24: a STOP revokes consent at once; one confirmation within 5 minutes, nothing else (47 CFR 64.1200(a)(12)).
    if (sim.ledger !== 'revoked') sim.ledgerBeforeStop = sim.ledger;
    sim.ledger = 'revoked';
    log(sim, 'STOP received: consent revoked for every purpose, run ended');
    systemText(sim, `${sim.brand}: You're unsubscribed and will get no more texts. Reply START to resubscribe.`);
    if (sim.status === 'running') sim.status = 'stopped';
    sim.timers = [];
    return sim;
  }
  if (intent === 'help') {
    systemText(sim, `${sim.brand}: ${sim.helpText} Reply STOP to opt out. Msg & data rates may apply.`);
    return sim;
  }
  if (intent === 'start' && sim.ledger === 'revoked') {
    sim.ledger = sim.ledgerBeforeStop ?? 'informational';
    log(sim, `START received: consent restored (${sim.ledger})`);
    systemText(sim, `${sim.brand}: You're resubscribed. Reply STOP to opt out, HELP for help.`);
    return sim;
  }
  if (sim.status !== 'running') {
    log(sim, 'Reply received after the run ended: nothing happens');
    return sim;
  }
  if (sim.verification) return checkIdentityReply(machine, sim, text);
  sim.answering = true;
  return deliver(machine, sim, { type: 'reply', text });
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
      if (timer.op === 'cancel') sim.timers = sim.timers.filter((t) => t.key !== timer.key);
      else {
        sim.timers = sim.timers.filter((t) => t.key !== timer.key);
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
      const answer = performEffect(sim, effect);
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

/** Performs one effect; returns the event that answers it at once, if any. */
function performEffect(sim: SimState, effect: Effect): AnyEventObject | null {
  switch (effect.type) {
    case 'sendSms': {
      const params = effect.params;
      const pending: PendingSend = { effectId: effect.id, ...params, event: { type: 'sms.sent', nodeId: params.nodeId } };
      return sendOrHold(sim, pending);
    }
    case 'recordConsent': {
      const p = effect.params;
      if (p.action === 'grant') {
        sim.ledger = p.purpose === 'marketing' ? 'granted' : sim.ledger === 'granted' ? 'granted' : 'informational';
        log(sim, `Consent granted (${p.purpose}, ${p.mode})`, p.nodeId);
      } else log(sim, `Consent declined (${p.purpose})`, p.nodeId);
      return null;
    }
    case 'checkConsent': {
      const p = effect.params;
      const granted = consentCovers(sim.ledger, p.purpose);
      log(sim, `Consent check (${p.purpose}): ${granted ? 'granted' : 'missing'}`, p.nodeId);
      return { type: granted ? 'consent.granted' : 'consent.missing', nodeId: p.nodeId };
    }
    case 'waitForWindow': {
      const p = effect.params;
      const zones = resolveZones(sim.contact);
      const window = { from: p.from, to: p.to, days: p.days };
      const opening = nextWindowOpening(new Date(sim.now), zones, window);
      if (!opening) {
        log(sim, `No opening of ${window.from}–${window.to} in the next week`, p.nodeId);
        return null;
      }
      if (opening.toISOString() === sim.now) return { type: 'window.open', nodeId: p.nodeId };
      sim.timers.push({
        key: `window:${p.nodeId}`,
        due: opening.toISOString(),
        event: { type: 'window.open', nodeId: p.nodeId },
        label: `Window ${window.from}–${window.to} opened`,
      });
      log(sim, `Waiting for ${window.from}–${window.to} (${describeLocal(opening, zones)})`, p.nodeId);
      return null;
    }
    case 'startVerification': {
      const p = effect.params;
      const method = p.method;
      const expected =
        method === 'otp' ? oneTimeCode(effect.id) : method === 'zip' ? (sim.contact.verifyZip ?? sim.contact.zip) : sim.contact.dob;
      if (!expected) {
        log(sim, `Cannot verify: no ${method === 'zip' ? 'ZIP code' : 'date of birth'} on the contact record`, p.nodeId);
        return { type: 'identity.failed', nodeId: p.nodeId, reason: 'nothing on record to compare with' };
      }
      sim.verification = { nodeId: p.nodeId, method, expected, attemptsLeft: p.maxAttempts };
      return sendOrHold(sim, {
        effectId: effect.id,
        nodeId: p.nodeId,
        kind: 'verify',
        purpose: 'informational',
        body: p.body,
        outsideHours: 'defer',
      });
    }
    case 'requestPayment': {
      const p = effect.params;
      const amount = typeof p.amount === 'number' ? p.amount : Number(renderTemplate(p.amount, scope(sim)));
      if (!Number.isFinite(amount) || amount <= 0) {
        log(sim, `Cannot request payment: the amount "${String(p.amount)}" is not a number`, p.nodeId);
        return { type: 'payment.failed', nodeId: p.nodeId, reason: 'invalid amount' };
      }
      sim.payment = { nodeId: p.nodeId, amount, currency: p.currency, link: `https://pay.optline.test/sim/${p.nodeId}` };
      return sendOrHold(sim, {
        effectId: effect.id,
        nodeId: p.nodeId,
        kind: 'payment',
        purpose: 'informational',
        body: p.body,
        outsideHours: 'defer',
      });
    }
    case 'endRun': {
      const p = effect.params;
      log(sim, p.reason === 'unconnected' ? `Run ended: output "${p.output}" leads nowhere` : 'Run ended', p.nodeId);
      sim.status = 'ended';
      sim.timers = [];
      return null;
    }
    default: {
      const unknown: never = effect;
      log(sim, `Unknown effect ${JSON.stringify(unknown)}`);
      return null;
    }
  }
}

// Sending ----------------------------------------------------------------------

function sendOrHold(sim: SimState, send: PendingSend): AnyEventObject | null {
  const decision = decide(sim, send);
  if (decision.verdict === 'allow') return deliverText(sim, send);
  if (decision.verdict === 'defer' && decision.until) {
    const label = `Held until ${describeLocal(new Date(decision.until), decision.zones)}`;
    sim.timers.push({ key: `hold:${send.effectId}`, due: decision.until, label, hold: send });
    log(sim, `${label}: ${decision.reason}`, send.nodeId);
    return null;
  }
  log(sim, `Blocked: ${decision.reason}`, send.nodeId);
  if (send.kind === 'verify') delete sim.verification;
  if (send.kind === 'payment') delete sim.payment;
  return send.event ? { type: 'sms.failed', nodeId: send.nodeId, reason: decision.reason } : failedAnswer(send);
}

function failedAnswer(send: PendingSend): AnyEventObject {
  return send.kind === 'verify'
    ? { type: 'identity.failed', nodeId: send.nodeId, reason: 'the code could not be sent' }
    : { type: 'payment.failed', nodeId: send.nodeId, reason: 'the payment link could not be sent' };
}

function decide(sim: SimState, send: PendingSend): SendDecision {
  const at = new Date(sim.now);
  const sendNow = send.outsideHours === 'send';
  const recentSends = sim.marketingSends.map((s) => new Date(s));
  const inboundAt = sim.lastInboundAt ? new Date(sim.lastInboundAt) : undefined;
  if (sim.guard === 'none') {
    // Only the deferral the node asked for: the static proof must carry the rest.
    if (sendNow) return { verdict: 'allow', rule: 'allowed', zones: [], states: [], reason: 'sent at once' };
    return evaluateSend({ contact: sim.contact, purpose: send.purpose, at, consent: 'granted', answering: false, recentSends });
  }
  // The opt-in request itself is how consent is asked: only a STOP on record stops it.
  const consent = send.kind === 'consent' ? (sim.ledger === 'revoked' ? 'revoked' : 'granted') : sim.ledger;
  const answering = sendNow && inboundAt !== undefined && !sim.sentSinceInbound;
  return evaluateSend({
    contact: sim.contact,
    purpose: send.purpose,
    at,
    consent,
    answering,
    inboundAt,
    recentSends,
    pausedStates: sim.pausedStates,
  });
}

function deliverText(sim: SimState, send: PendingSend): AnyEventObject | null {
  const codeScope = sim.verification?.method === 'otp' && send.kind === 'verify' ? { code: sim.verification.expected } : {};
  const body = renderTemplate(send.body, { ...scope(sim), verify: codeScope });
  sim.messages.push({ direction: 'out', body, at: sim.now, nodeId: send.nodeId });
  sim.sends.push({
    at: sim.now,
    nodeId: send.nodeId,
    kind: send.kind,
    purpose: send.purpose,
    sendNow: send.outsideHours === 'send',
    answering: sim.answering,
    consentAtSend: sim.ledger,
    verifiedBefore: sim.verified,
  });
  if (send.purpose === 'marketing') sim.marketingSends.push(sim.now);
  sim.sentSinceInbound = true;
  sim.answering = false;
  return send.event ?? null;
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
    consentAtSend: sim.ledger,
    verifiedBefore: sim.verified,
  });
  sim.sentSinceInbound = true;
}

function checkIdentityReply(machine: FlowMachine, sim: SimState, text: string): SimState {
  const v = sim.verification!;
  if (normalizeIdentityAnswer(text, v.method) === normalizeIdentityAnswer(v.expected, v.method)) {
    delete sim.verification;
    sim.verified = true;
    sim.answering = true;
    log(sim, 'Identity verified', v.nodeId);
    return deliver(machine, sim, { type: 'identity.verified', nodeId: v.nodeId });
  }
  v.attemptsLeft -= 1;
  if (v.attemptsLeft <= 0) {
    delete sim.verification;
    sim.answering = true;
    log(sim, 'Identity not verified: no attempts left', v.nodeId);
    return deliver(machine, sim, { type: 'identity.failed', nodeId: v.nodeId, reason: 'too many wrong answers' });
  }
  log(sim, `Wrong answer: ${v.attemptsLeft} attempt${v.attemptsLeft === 1 ? '' : 's'} left`, v.nodeId);
  systemText(sim, `That doesn't match our records. Please try again (${v.attemptsLeft} attempt${v.attemptsLeft === 1 ? '' : 's'} left).`);
  return sim;
}

/** A deterministic six-digit code for the simulation (the runtime draws a random one). */
function oneTimeCode(seed: string): string {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return String(h % 1_000_000).padStart(6, '0');
}

function scope(sim: SimState): Record<string, unknown> {
  const ctx = sim.snapshot.context;
  // Money reads as money in a text: 42.5 → "42.50".
  const payment = sim.payment
    ? { ...ctx.payment, link: sim.payment.link, amount: sim.payment.amount.toFixed(2) }
    : ctx.payment && { ...ctx.payment, amount: Number(ctx.payment.amount).toFixed(2) };
  return { vars: ctx.vars, contact: ctx.contact, reply: ctx.reply, payment };
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
