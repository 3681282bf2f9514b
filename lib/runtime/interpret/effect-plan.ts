import type { AnyEventObject } from 'xstate';
import { resolveZones } from '@/lib/compliance/zones';
import { consentCovers, type ConsentLevel, type ContactLocation, type Purpose } from '@/lib/compliance/types';
import { parseDuration } from '@/lib/flow/duration';
import type {
  CheckConsentParams,
  FlowEffect,
  RecordConsentParams,
  RequestPaymentParams,
  StartVerificationParams,
  WaitForWindowParams,
} from '@/lib/flow/machine-events';
import { MAX_PAYMENT_AMOUNT } from '@/lib/flow/schema';
import { renderTemplate } from '@/lib/flow/templates';
import { chargeAmount, fromMinorUnits } from '@/lib/flow/money';
import type { IdentityMethod } from './identity-answer';
import type { OutboundText } from './outbound';
import { nextWindowOpening } from './wait-window';

/** How long a payment link lasts when the node names no `expiresIn`. */
export const DEFAULT_LINK_LIFETIME_MS = 72 * 3_600_000;

/**
 * What an effect comes to, decided from the facts read for it: the one
 * interpretation of every effect, which the runtime performs against
 * Postgres and the providers and the simulator against memory. Plans are
 * data; the shells hold no per-effect decisions of their own.
 */
export type EffectPlan =
  /** Text the contact (through the send-time guard). */
  | { do: 'send'; text: OutboundText }
  /** Answer the node at once. */
  | { do: 'answer'; event: AnyEventObject }
  /** Answer the node with `event` at `until` (a timer under `key`). */
  | { do: 'wait'; until: Date; key: string; event: AnyEventObject }
  /** Nothing can answer the node (a window that never opens): the run stays where it is. */
  | { do: 'stall'; reason: string }
  /** Ask the identity question; `expected` is the answer on record, or null for a one-time code the shell draws. */
  | { do: 'verify'; method: IdentityMethod; expected: string | null; maxAttempts: number; text: OutboundText }
  /** Create a payment link for the amount and text it. */
  | { do: 'charge'; amountMinor: number; amount: string; currency: string; description: string; expiresAt: Date; text: OutboundText }
  /** Append a grant to the consent ledger with the text that was shown. */
  | { do: 'record-consent'; purpose: Purpose; mode: RecordConsentParams['mode']; textShown: string; reply: string }
  /** Close the run. */
  | { do: 'end' }
  /** Nothing to do (a declined opt-in records nothing: no grant is no consent). */
  | { do: 'nothing' };

/** The plans of the kinds named. */
export type PlanOf<K extends EffectPlan['do']> = Extract<EffectPlan, { do: K }>;

/** The facts an effect is decided on. */
export interface EffectFacts {
  now: Date;
  consent: ConsentLevel;
  contact: ContactLocation;
  /** What identity checks compare with: the ZIP and date of birth on the contact record. */
  onRecord: { zip?: string; dob?: string };
  /** The template scope at this moment (`templateScope`). */
  scope: Record<string, unknown>;
}

/** The one interpretation of an effect (see `EffectPlan`). */
export function planEffect(effect: FlowEffect, facts: EffectFacts): EffectPlan {
  switch (effect.type) {
    case 'sendSms':
      return { do: 'send', text: effect.params };
    case 'checkConsent':
      return { do: 'answer', event: consentAnswer(effect.params, facts.consent) };
    case 'recordConsent':
      return consentRecordPlan(effect.params, facts.scope);
    case 'waitForWindow':
      return windowPlan(effect.params, facts.now, resolveZones(facts.contact));
    case 'startVerification':
      return verificationPlan(effect.params, facts.onRecord);
    case 'requestPayment':
      return paymentPlan(effect.params, facts.scope, facts.now);
    case 'endRun':
      return { do: 'end' };
    default: {
      const unknown: never = effect;
      throw new Error(`effect ${JSON.stringify(unknown)} is not one the interpreter knows`);
    }
  }
}

/** A consent check's answer from the ledger's level. */
export function consentAnswer(p: CheckConsentParams, consent: ConsentLevel): AnyEventObject {
  return { type: consentCovers(consent, p.purpose) ? 'consent.granted' : 'consent.missing', nodeId: p.nodeId };
}

/** A grant with the opt-in text as it was shown; a decline records nothing. */
export function consentRecordPlan(p: RecordConsentParams, scope: Record<string, unknown>): PlanOf<'record-consent' | 'nothing'> {
  if (p.action !== 'grant') return { do: 'nothing' };
  return {
    do: 'record-consent',
    purpose: p.purpose,
    mode: p.mode,
    textShown: renderTemplate(p.text, scope),
    reply: p.mode === 'notice' ? '(no reply within the notice period)' : 'YES',
  };
}

/** `window.open` at once inside the contact's window, else at its next opening (in every zone they may be in). */
export function windowPlan(p: WaitForWindowParams, now: Date, zones: readonly string[]): PlanOf<'answer' | 'wait' | 'stall'> {
  const window = { from: p.from, to: p.to, days: p.days };
  const opening = nextWindowOpening(now, zones, window);
  if (!opening) return { do: 'stall', reason: `no opening of ${window.from}–${window.to} within a week` };
  const event = { type: 'window.open', nodeId: p.nodeId };
  if (opening.getTime() <= now.getTime()) return { do: 'answer', event };
  return { do: 'wait', until: opening, key: `window:${p.nodeId}`, event };
}

/** The identity question, with the answer on record; a contact with nothing on record to compare fails the check. */
export function verificationPlan(p: StartVerificationParams, onRecord: EffectFacts['onRecord']): PlanOf<'answer' | 'verify'> {
  const text: OutboundText = { nodeId: p.nodeId, kind: 'verify', purpose: 'informational', body: p.body, outsideHours: 'defer' };
  if (p.method === 'otp') return { do: 'verify', method: 'otp', expected: null, maxAttempts: p.maxAttempts, text };
  const expected = p.method === 'zip' ? onRecord.zip : onRecord.dob;
  if (!expected) {
    const missing = p.method === 'zip' ? 'ZIP code' : 'date of birth';
    return {
      do: 'answer',
      event: { type: 'identity.failed', nodeId: p.nodeId, reason: `nothing on record to compare with: the contact has no ${missing}` },
    };
  }
  return { do: 'verify', method: p.method, expected, maxAttempts: p.maxAttempts, text };
}

/**
 * A payment request for the amount the node names (a number, or a template
 * over the run's variables), held to the most one request charges; an
 * amount that is no amount fails the node with why.
 */
export function paymentPlan(p: RequestPaymentParams, scope: Record<string, unknown>, now: Date): PlanOf<'answer' | 'charge'> {
  const amountText = typeof p.amount === 'number' ? String(p.amount) : renderTemplate(p.amount, scope).trim();
  const charge = chargeAmount(amountText, p.currency, MAX_PAYMENT_AMOUNT);
  if (!charge.ok) return { do: 'answer', event: { type: 'payment.failed', nodeId: p.nodeId, reason: charge.reason } };
  return {
    do: 'charge',
    amountMinor: charge.amountMinor,
    amount: fromMinorUnits(charge.amountMinor, p.currency),
    currency: p.currency,
    description: renderTemplate(p.description, scope).trim() || 'Payment',
    expiresAt: new Date(now.getTime() + (parseDuration(p.expiresIn) ?? DEFAULT_LINK_LIFETIME_MS)),
    text: { nodeId: p.nodeId, kind: 'payment', purpose: 'informational', body: p.body, outsideHours: 'defer' },
  };
}
