import type { AnyEventObject } from 'xstate';
import { evaluateSend, type SendDecision } from '@/lib/compliance/evaluate-send';
import type { ConsentLevel, ContactLocation, Purpose } from '@/lib/compliance/types';
import type { SmsKind } from '@/lib/flow/machine-events';

/** A text a flow sends: a plain `sendSms`, or the question of an identity check or a payment request. */
export interface OutboundText {
  nodeId: string;
  kind: SmsKind;
  purpose: Purpose;
  /** The template, filled when the text goes. */
  body: string;
  outsideHours: 'defer' | 'send';
}

/**
 * The event that answers a text's node once it is sent: `sms.sent` for a
 * message, none for a check's question or a payment link (their node waits
 * for the reply or the payment).
 */
export function sentEventOf(text: OutboundText): AnyEventObject | null {
  return text.kind === 'verify' || text.kind === 'payment' ? null : { type: 'sms.sent', nodeId: text.nodeId };
}

/** The event that answers a text's node when it is blocked or fails, with why. */
export function failedEventOf(text: OutboundText, reason: string): AnyEventObject {
  if (text.kind === 'verify') return { type: 'identity.failed', nodeId: text.nodeId, reason };
  if (text.kind === 'payment') return { type: 'payment.failed', nodeId: text.nodeId, reason };
  return { type: 'sms.failed', nodeId: text.nodeId, reason };
}

/** What the send-time guard knows of the contact at the moment of a send. */
export interface SendFacts {
  now: Date;
  contact: ContactLocation;
  consent: ConsentLevel;
  /** The contact's last text, and whether a text has answered it since. */
  inbound?: { at: Date; answered: boolean };
  /** Marketing texts sent to the number (the guard counts the last 24 hours). */
  recentSends: readonly Date[];
  /** Operator switch: marketing paused to these states. */
  pausedStates: readonly string[];
}

/**
 * The send-time guard for a flow's text: the opt-in request itself is how
 * consent is asked, so only a STOP stops it; a text that may go at once
 * answers the contact only as the first text after their message.
 */
export function decideSend(text: OutboundText, facts: SendFacts): SendDecision {
  const consent = text.kind === 'consent' ? (facts.consent === 'revoked' ? 'revoked' : 'granted') : facts.consent;
  return evaluateSend({
    contact: facts.contact,
    purpose: text.purpose,
    at: facts.now,
    consent,
    answering: text.outsideHours === 'send' && facts.inbound !== undefined && !facts.inbound.answered,
    inboundAt: facts.inbound?.at,
    recentSends: facts.recentSends,
    pausedStates: facts.pausedStates,
  });
}

/**
 * The deferral a text's node asks for and nothing else: no consent check and
 * no answering exemption. The analyzer's soundness is proved against this
 * guard (the static proof must carry the rest).
 */
export function decideSendUnguarded(text: OutboundText, facts: Pick<SendFacts, 'now' | 'contact' | 'recentSends'>): SendDecision {
  if (text.outsideHours === 'send') return { verdict: 'allow', rule: 'allowed', zones: [], states: [], reason: 'sent at once' };
  return evaluateSend({
    contact: facts.contact,
    purpose: text.purpose,
    at: facts.now,
    consent: 'granted',
    answering: false,
    recentSends: facts.recentSends,
  });
}
