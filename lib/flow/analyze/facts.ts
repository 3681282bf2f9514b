import { policyWindow, type QuietHoursPolicy } from '@/lib/compliance/policy-window';
import type { Purpose } from '@/lib/compliance/types';
import { assertNever, isSendNow, purposeOf, type SendingNode } from '@/lib/flow/catalog';
import { durationMinutes } from '@/lib/flow/duration';
import type { FlowNode } from '@/lib/flow/schema';
import { parseTimeOfDay } from '@/lib/flow/time-of-day';
import { joinRecent, NO_RECENT, recentAfter, recentEqual, recentWithSend } from './recent-marketing';
import { ALL_DAY, elapse, isAllDay, isSubset, timeSetsEqual, timeWindow, union, type TimeSet } from './time-set';

/**
 * What the analyzer knows of every contact crossing an edge
 * (FLOW_FORMAT.md, "What the analyzer knows on each edge"). Each field is a
 * guarantee over every path that reaches the edge, so joining two paths keeps
 * only what both guarantee:
 *
 * - `consent`, `verified`, `answering`, `textSent`: true only if true on
 *   every path (AND). Marketing consent implies informational, so
 *   `consent.marketing` is never true without `consent.informational`.
 * - `times`: the local times of day at which a contact can cross (union).
 * - `recentMarketing`: for the most recent marketing texts still less than
 *   24 hours old, the least elapsed minutes since each, newest first, at most
 *   3 (frequency cap, strictest policy only; join: the longer list, the
 *   smaller minutes position by position).
 */
export interface EdgeFacts {
  readonly consent: { readonly informational: boolean; readonly marketing: boolean };
  readonly verified: boolean;
  readonly answering: boolean;
  readonly times: TimeSet;
  readonly recentMarketing: readonly number[];
  /** Whether a text has already been sent on every path (for the sender-identification warning). */
  readonly textSent: boolean;
}

export interface FactContext {
  readonly quietHours: QuietHoursPolicy;
  /** Whether marketing sends are counted (only the strictest policy caps them: COMPLIANCE.md, "Frequency"). */
  readonly trackFrequency: boolean;
  /** Each purpose's allowed hours under the policy; the whole day where no time is safe every day (a held text may go at any hour). */
  readonly sendWindow: Readonly<Record<Purpose, TimeSet>>;
  /** Minutes of a duration, parsed once per text. */
  minutes(duration: string): number;
}

/** The context for one analysis under a quiet-hours policy. */
export function factContext(quietHours: QuietHoursPolicy): FactContext {
  const windowOf = (p: Purpose) => {
    const w = policyWindow(quietHours, p);
    return w ? timeWindow(w.from, w.to) : ALL_DAY;
  };
  const parsed = new Map<string, number>();
  return {
    quietHours,
    trackFrequency: quietHours === 'strictest',
    sendWindow: { informational: windowOf('informational'), marketing: windowOf('marketing') },
    minutes(duration) {
      let m = parsed.get(duration);
      if (m === undefined) parsed.set(duration, (m = durationMinutes(duration)));
      return m;
    },
  };
}

/**
 * A scheduled run starts within this many minutes of its time. The spread is
 * [T, T + 15): if a scheduler can start a run later than that, widen it here.
 */
export const SCHEDULE_SPREAD_MINUTES = 15;

const NO_CONSENT = { informational: false, marketing: false } as const;
const INFORMATIONAL_ONLY = { informational: true, marketing: false } as const;
const ALL_CONSENT = { informational: true, marketing: true } as const;

/** What is known where a run starts, before its trigger: nothing granted, any time. */
export const START_FACTS: EdgeFacts = {
  consent: NO_CONSENT,
  verified: false,
  answering: false,
  times: ALL_DAY,
  recentMarketing: NO_RECENT,
  textSent: false,
};

/** The facts that allow least: what the analysis falls back to when a loop will not settle. */
export const WORST_FACTS: EdgeFacts = {
  consent: NO_CONSENT,
  verified: false,
  answering: false,
  times: ALL_DAY,
  recentMarketing: [0, 0, 0],
  textSent: false,
};

/** Whether consent for `purpose` is known (marketing consent covers informational texts). */
export function hasConsent(facts: EdgeFacts, purpose: Purpose): boolean {
  return facts.consent[purpose];
}

function consentOf(informational: boolean, marketing: boolean) {
  return marketing ? ALL_CONSENT : informational ? INFORMATIONAL_ONLY : NO_CONSENT;
}

/** Consent after `purpose` is granted. */
export function grantConsent(facts: EdgeFacts, purpose: Purpose): EdgeFacts['consent'] {
  return purpose === 'marketing' ? ALL_CONSENT : consentOf(true, facts.consent.marketing);
}

/** Consent after `purpose` is declined or found missing: an informational refusal leaves no consent at all. */
function withdrawConsent(facts: EdgeFacts, purpose: Purpose): EdgeFacts['consent'] {
  return purpose === 'marketing' ? consentOf(facts.consent.informational, false) : NO_CONSENT;
}

// The lattice ------------------------------------------------------------------

/** Facts that hold on both paths. */
export function joinFacts(a: EdgeFacts, b: EdgeFacts): EdgeFacts {
  if (a === b) return a;
  return {
    consent: consentOf(a.consent.informational && b.consent.informational, a.consent.marketing && b.consent.marketing),
    verified: a.verified && b.verified,
    answering: a.answering && b.answering,
    times: union(a.times, b.times),
    recentMarketing: joinRecent(a.recentMarketing, b.recentMarketing),
    textSent: a.textSent && b.textSent,
  };
}

export function factsEqual(a: EdgeFacts, b: EdgeFacts): boolean {
  return (
    a === b ||
    (a.consent.informational === b.consent.informational &&
      a.consent.marketing === b.consent.marketing &&
      a.verified === b.verified &&
      a.answering === b.answering &&
      a.textSent === b.textSent &&
      timeSetsEqual(a.times, b.times) &&
      recentEqual(a.recentMarketing, b.recentMarketing))
  );
}

/**
 * Widening for loops (`next` already includes `previous`): a time set still
 * growing after a few rounds becomes the whole day. The other fields take few
 * values and settle by themselves.
 */
export function widenFacts(previous: EdgeFacts, next: EdgeFacts): EdgeFacts {
  if (isAllDay(next.times) || isSubset(next.times, previous.times)) return next;
  return with_(next, { times: ALL_DAY });
}

// Transfer -----------------------------------------------------------------------

/** The local times at which a sending node's text goes out, given the times a contact arrives. */
export function sendTimes(node: SendingNode, arrival: TimeSet, ctx: FactContext): TimeSet {
  if (isSendNow(node)) return arrival;
  // A held text goes at arrival when that is inside the window, else when (or after) the window opens.
  return union(arrival, ctx.sendWindow[purposeOf(node)]);
}

/** The times a scheduled run starts at. On spring-forward day a time in 02:00–02:59 does not exist and runs an hour later. */
export function scheduleTimes(at: number): TimeSet {
  const spread = timeWindow(at, at + SCHEDULE_SPREAD_MINUTES);
  return at + SCHEDULE_SPREAD_MINUTES > 120 && at < 180 ? union(spread, timeWindow(at + 60, at + 60 + SCHEDULE_SPREAD_MINUTES)) : spread;
}

/** `facts` with some fields changed (always the same object shape, which keeps the hot path fast). */
function with_(facts: EdgeFacts, change: Partial<EdgeFacts>): EdgeFacts {
  return {
    consent: change.consent ?? facts.consent,
    verified: change.verified ?? facts.verified,
    answering: change.answering ?? facts.answering,
    times: change.times ?? facts.times,
    recentMarketing: change.recentMarketing ?? facts.recentMarketing,
    textSent: change.textSent ?? facts.textSent,
  };
}

/**
 * The facts on each output of `node` (aligned with `outputsOf(node)`) for
 * contacts arriving with `input`. Timer outputs shift the times by their
 * duration (widened across daylight-saving changes); replies and payment
 * events can come at any time and answer the contact; a failed delivery
 * leaves at once and sends nothing.
 */
export function transfer(node: FlowNode, input: EdgeFacts, ctx: FactContext): EdgeFacts[] {
  switch (node.type) {
    case 'trigger': {
      const d = node.data;
      const times = d.kind === 'schedule' ? scheduleTimes(parseTimeOfDay(d.at) ?? 0) : ALL_DAY;
      return [with_(input, { times, answering: d.kind === 'keyword' })];
    }
    case 'consent.check': {
      const p = node.data.purpose;
      return [with_(input, { consent: grantConsent(input, p) }), with_(input, { consent: withdrawConsent(input, p) })];
    }
    case 'split':
    case 'variable.set':
      return node.type === 'split' ? node.data.cases.map(() => input).concat(input) : [input];
    case 'wait.delay': {
      const m = ctx.minutes(node.data.duration);
      return [with_(input, { times: elapse(input.times, m), answering: false, recentMarketing: recentAfter(input.recentMarketing, m) })];
    }
    case 'wait.window': {
      // Continues at once inside the window, else at its opening: either way inside it.
      const window = timeWindow(parseTimeOfDay(node.data.from) ?? 0, parseTimeOfDay(node.data.to) ?? 0);
      return [with_(input, { times: isSubset(input.times, window) ? input.times : window, answering: false })];
    }
    case 'message.send':
    case 'message.ask':
    case 'consent.request':
    case 'verify.identity':
    case 'payment.request':
      return transferSend(node, input, ctx);
    case 'end':
      return [];
    default:
      return assertNever(node);
  }
}

function transferSend(node: SendingNode, input: EdgeFacts, ctx: FactContext): EdgeFacts[] {
  const at = sendTimes(node, input.times, ctx);
  const counted = ctx.trackFrequency && purposeOf(node) === 'marketing';
  const recentSent = counted ? recentWithSend(input.recentMarketing) : input.recentMarketing;
  const sent = with_(input, { times: at, answering: false, recentMarketing: recentSent, textSent: true });
  const reply = with_(sent, { times: ALL_DAY, answering: true });
  // A timer output: after the wait from the send, or at once when the text could not be delivered.
  const timer = (duration: string, orFailedAtOnce: boolean): EdgeFacts => {
    const m = ctx.minutes(duration);
    const later = with_(sent, { times: elapse(at, m), recentMarketing: recentAfter(recentSent, m) });
    return orFailedAtOnce ? joinFacts(later, with_(sent, { recentMarketing: input.recentMarketing })) : later;
  };
  switch (node.type) {
    case 'message.send':
      return [sent, with_(sent, { recentMarketing: input.recentMarketing })];
    case 'message.ask':
      return [reply, timer(node.data.timeout, true)];
    case 'consent.request': {
      const p = node.data.purpose;
      if (node.data.mode === 'explicit') {
        return [
          with_(reply, { consent: grantConsent(input, p) }),
          with_(reply, { consent: withdrawConsent(input, p) }),
          timer(node.data.timeout, true),
        ];
      }
      // Notice: granted when the notice period passes; declined by a reply, or at once when undelivered.
      const granted = timer(node.data.noticePeriod, false);
      return [with_(granted, { consent: grantConsent(input, p) }), with_(reply, { answering: false, consent: withdrawConsent(input, p) })];
    }
    case 'verify.identity':
      // Failed: a wrong answer, the timeout, or nothing on record to compare with; the times are any time either way.
      return [with_(reply, { verified: true }), with_(reply, { answering: false })];
    case 'payment.request':
      // The expiry timer runs from arrival, which the send times include.
      return [reply, reply, timer(node.data.expiresIn, false)];
    default:
      return assertNever(node);
  }
}
