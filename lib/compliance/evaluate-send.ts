import { formatLocal } from './local-time';
import { capOf, STRICTEST_CAP } from './state-rules';
import { resolveStates } from './states';
import { consentCovers, type ConsentLevel, type ContactLocation, type Purpose } from './types';
import { isAllowedAt, nextAllowedInstant } from './window';
import { resolveZones } from './zones';

export interface SendRequest {
  contact: ContactLocation;
  purpose: Purpose;
  /** The moment of the send: the caller's clock. */
  at: Date;
  consent: ConsentLevel;
  /** The text directly answers the contact's own message (the first text after it). */
  answering: boolean;
  /** When the contact's message arrived; answering holds for 10 minutes after it. */
  inboundAt?: Date;
  /** Marketing texts already sent to this number (any time; only the last 24 hours count). */
  recentSends?: readonly Date[];
  /** Operator switch: marketing paused to these states (e.g. LA during a declared emergency). */
  pausedStates?: readonly string[];
}

export type SendRule = 'consent-required' | 'quiet-hours' | 'frequency-cap' | 'state-paused' | 'answering' | 'allowed';

export interface SendDecision {
  verdict: 'allow' | 'defer' | 'block';
  rule: SendRule;
  /** For `defer`: the earliest instant every rule allows, ISO in UTC. */
  until?: string;
  /** `until` on the wall clock of each zone the contact may be in. */
  untilLocal?: { zone: string; local: string }[];
  zones: string[];
  states: string[];
  /** One sentence a marketer can read. */
  reason: string;
}

/** Consumer-initiated: a reply to the contact's own message within 10 minutes may go at any hour (COMPLIANCE.md, "Allowed hours"). */
export const ANSWERING_LIMIT_MS = 10 * 60_000;
const DAY_MS = 24 * 3_600_000;
// Beyond this no allowed instant is looked for: a rule set that allows nothing for two weeks blocks instead.
const HORIZON_DAYS = 15;

/**
 * The send-time decision (COMPLIANCE.md): consent first (a revocation covers
 * every purpose and never expires by itself), then the operator's state
 * pause, then answering the contact, then the frequency cap and the calling
 * window in every zone the recipient may be in. `defer` carries the earliest
 * instant at which every rule allows the send.
 */
export function evaluateSend(req: SendRequest): SendDecision {
  const zones = resolveZones(req.contact);
  const states = resolveStates(req.contact);
  const base = { zones, states };

  if (!consentCovers(req.consent, req.purpose)) {
    const reason =
      req.consent === 'revoked'
        ? 'Blocked: the contact withdrew consent (a STOP or another opt-out on record); nothing is sent until they opt in again.'
        : `Blocked: there is no ${req.purpose} consent on record for this number.`;
    return { verdict: 'block', rule: 'consent-required', reason, ...base };
  }

  const paused = req.pausedStates ?? [];
  if (req.purpose === 'marketing' && paused.length > 0) {
    const hit = states.length === 0 ? paused : states.filter((s) => paused.includes(s));
    if (hit.length > 0) {
      const reason =
        states.length === 0
          ? `Blocked: marketing is paused to ${hit.join(', ')} and this contact's state is unknown.`
          : `Blocked: marketing to ${hit.join(', ')} is paused by the operator.`;
      return { verdict: 'block', rule: 'state-paused', reason, ...base };
    }
  }

  // Consumer-initiated replies are not solicitations: no window and no cap (47 CFR § 64.1200(c)(1) concerns solicitation).
  if (req.answering && (!req.inboundAt || req.at.getTime() - req.inboundAt.getTime() <= ANSWERING_LIMIT_MS)) {
    return { verdict: 'allow', rule: 'answering', reason: "Allowed: it answers the contact's own message.", ...base };
  }

  const rules = { purpose: req.purpose, states };
  let earliest = req.at;
  let rule: SendRule = 'quiet-hours';
  if (req.purpose === 'marketing') {
    const cap = states.length === 0 ? STRICTEST_CAP : Math.min(Infinity, ...states.map((s) => capOf(s) ?? Infinity));
    if (Number.isFinite(cap)) {
      const windowStart = req.at.getTime() - DAY_MS;
      const counted = (req.recentSends ?? [])
        .map((d) => d.getTime())
        .filter((t) => t > windowStart && t <= req.at.getTime())
        .sort((a, b) => a - b);
      if (counted.length >= cap) {
        // The next send may go once the oldest of the last `cap` sends is 24 hours old.
        earliest = new Date(counted[counted.length - cap]! + DAY_MS);
        rule = 'frequency-cap';
      }
    }
  }

  if (rule === 'quiet-hours' && isAllowedAt(req.at, zones, rules)) {
    return { verdict: 'allow', rule: 'allowed', reason: 'Allowed: inside the allowed hours in every zone the contact may be in.', ...base };
  }
  const until = nextAllowedInstant(earliest, zones, rules, HORIZON_DAYS);
  if (!until) {
    return {
      verdict: 'block',
      rule,
      reason: `Blocked: no time in the next ${HORIZON_DAYS} days is allowed for this ${req.purpose} text.`,
      ...base,
    };
  }
  const untilLocal = zones.map((zone) => ({ zone, local: formatLocal(until, zone).iso }));
  const where = `${formatLocal(until, zones[0]!).time} (${zones[0]}${zones.length > 1 ? ` and ${zones.length - 1} more zone${zones.length > 2 ? 's' : ''}` : ''})`;
  const reason =
    rule === 'frequency-cap'
      ? `Held until ${where}: at most ${states.length === 0 ? STRICTEST_CAP : 3} marketing texts in 24 hours to this number.`
      : req.purpose === 'marketing'
        ? `Held until ${where}: marketing texts may go only in the hours the contact's state allows.`
        : `Held until ${where}: texts may go only between 08:00 and 21:00 in the contact's local time.`;
  return { verdict: 'defer', rule, until: until.toISOString(), untilLocal, reason, ...base };
}
