import type { AnyEventObject } from 'xstate';
import { classifyReply } from '@/lib/compliance/classify-reply';
import type { ConsentLevel } from '@/lib/compliance/types';

/** How long a one-time code verifies after it was issued. */
export const OTP_LIFETIME_MS = 10 * 60_000;

/** The business's answers to STOP, HELP and START (Settings). */
export interface KeywordTexts {
  brand: string;
  helpText: string;
  stopConfirmationText: string;
  startConfirmationText: string;
}

/** The answers a fresh installation starts with (the `settings` row's defaults). */
export const DEFAULT_KEYWORD_TEXTS: KeywordTexts = {
  brand: 'Optline',
  helpText: 'Reply STOP to opt out. Msg & data rates may apply.',
  stopConfirmationText: 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
  startConfirmationText: 'You are resubscribed. Reply HELP for help, STOP to opt out. Msg & data rates may apply.',
};

export type Keyword = 'stop' | 'help' | 'start';

/**
 * The one text that answers a keyword (the runtime and the simulator both
 * send it): the business's text from Settings, named by its brand (CTIA: a
 * keyword answer identifies the sender) unless the text already starts with it.
 */
export function keywordAnswer(keyword: Keyword, texts: KeywordTexts): string {
  const text = keyword === 'stop' ? texts.stopConfirmationText : keyword === 'help' ? texts.helpText : texts.startConfirmationText;
  const brand = texts.brand.trim();
  return text.trimStart().toLowerCase().startsWith(brand.toLowerCase()) ? text : `${brand}: ${text}`;
}

/**
 * Where a contact's text goes: STOP and HELP are honoured first, whatever
 * the run is doing (FCC 24-24: a revocation at once); START only re-grants
 * after a STOP; an identity check takes the answers while it waits; a run
 * waiting for a reply gets the rest; with no run, the text may be a keyword
 * that starts one.
 */
export type ReplyRoute =
  | { to: Keyword }
  | { to: 'identity' }
  /** `clarify`: the text may be a revocation and the flow does not take it as an answer: ask once (`clarificationText`). */
  | { to: 'flow'; clarify: boolean }
  | { to: 'no-run'; clarify: boolean };

/** What a text is routed on. */
export interface ReplyFacts {
  consent: ConsentLevel;
  run: 'none' | 'waiting' | 'verifying';
  /** Whether the run's current step takes this text as an answer (a question, a branch on the reply). */
  flowTakesIt: boolean;
}

/**
 * Routes a contact's text (see `ReplyRoute`). A text that may be a
 * revocation ("stop the reminders for my mom") is never ignored in silence:
 * unless the flow takes it as the answer it waits for, the contact is asked
 * once whether they want to stop everything (FCC 24-24 allows one
 * clarifying text, within five minutes).
 */
export function routeReply(text: string, facts: ReplyFacts): ReplyRoute {
  const { intent, ambiguous } = classifyReply(text);
  if (intent === 'stop' || intent === 'help') return { to: intent };
  if (intent === 'start' && facts.consent === 'revoked') return { to: 'start' };
  if (facts.run === 'verifying') return { to: 'identity' };
  const clarify = ambiguous && !(facts.run === 'waiting' && facts.flowTakesIt);
  return facts.run === 'none' ? { to: 'no-run', clarify } : { to: 'flow', clarify };
}

/** The one clarifying text for a reply that may be a revocation: it names the business and how to stop everything. */
export function clarificationText(texts: Pick<KeywordTexts, 'brand'>): string {
  return `Reply STOP to stop all texts from ${texts.brand.trim()}.`;
}

/** An identity check waiting for its answer. */
export interface PendingCheck {
  nodeId: string;
  attemptsLeft: number;
  /** When a one-time code stops verifying; none for ZIP and date of birth. */
  expiresAt?: Date;
}

/** What an answer to an identity check does: answers the node, or asks again with one attempt fewer. */
export type CheckOutcome =
  /** `attemptsLeft` is 0 when the last attempt was spent (an expired code spends none). */
  { event: AnyEventObject; attemptsLeft?: 0 } | { retry: { attemptsLeft: number; text: string } };

/**
 * The outcome of an answer to an identity check. A code answered late proves
 * nothing, right or wrong; a wrong answer with attempts left asks again.
 */
export function checkAnswer(check: PendingCheck, matches: boolean, at: Date): CheckOutcome {
  const { nodeId } = check;
  if (check.expiresAt && at.getTime() > check.expiresAt.getTime()) {
    return {
      event: { type: 'identity.failed', nodeId, reason: `the one-time code expired (a code lasts ${OTP_LIFETIME_MS / 60_000} minutes)` },
    };
  }
  if (matches) return { event: { type: 'identity.verified', nodeId } };
  const left = check.attemptsLeft - 1;
  if (left <= 0) return { event: { type: 'identity.failed', nodeId, reason: 'too many wrong answers' }, attemptsLeft: 0 };
  return {
    retry: { attemptsLeft: left, text: `That doesn't match our records. Please try again (${left} attempt${left === 1 ? '' : 's'} left).` },
  };
}
