/**
 * Reply intents (COMPLIANCE.md, "Replies"). FCC 24-24 (2024): consent may be
 * revoked by any reasonable means, and "stop", "quit", "end", "revoke",
 * "opt out", "cancel" and "unsubscribe" revoke it per se; CTIA Messaging
 * Principles: STOP, HELP and START must always work. Built for recall on
 * revocations: the reply is normalised (case, accents, punctuation, repeated
 * letters, misspellings of the per-se words), cut into clauses, and each
 * clause is read for its structure (`revocation.ts`); a per-se word about
 * something else ("I'll stop by at 3") is `other` and `ambiguous` (the
 * runtime may ask once), never a false opt-out.
 */
import { canonicalWord } from './reply-words';
import { isKeywordReply, readClause } from './revocation';

export type ReplyIntent = 'stop' | 'start' | 'help' | 'yes' | 'no' | 'other';

/**
 * The most characters of a reply the classifier reads, after trimming: 1,600,
 * the longest body Twilio accepts (10 concatenated segments). Past it nothing
 * is examined, so the work per reply is bounded (linear in at most 1,600
 * characters); the trade: a revocation written after 1,600 characters of
 * prose is not seen.
 */
export const MAX_CLASSIFIED_LENGTH = 1600;

export interface ReplyClassification {
  intent: ReplyIntent;
  ambiguous: boolean;
}

const START_WORDS = new Set(['start', 'unstop', 'resume', 'subscribe', 'restart']);
const HELP_WORDS = new Set(['help', 'info', 'ayuda', 'aide', 'help me', 'info please', 'help please']);
const YES_WORDS = new Set([
  'yes',
  'y',
  'yeah',
  'yea',
  'yep',
  'yup',
  'ok',
  'okay',
  'k',
  'sure',
  'confirm',
  'confirmed',
  'si',
  'yes please',
  'of course',
  'absolutely',
  'i agree',
  'agree',
  'correct',
]);
const NO_WORDS = new Set(['no', 'n', 'nope', 'nah', 'no thanks', 'no thank you', 'not now', 'not interested', 'decline']);

// Split a clause at these: "stop and unsubscribe me", "can I cancel the order and pay later".
const CONJUNCTION = new Set(['and', 'but', 'or', 'then', 'pero', 'y', 'o', 'mais', 'et']);
// "do not" → "dont", as the apostrophe-free contraction reads.
const NOT_CONTRACTION: Record<string, string> = {
  do: 'dont',
  does: 'doesnt',
  did: 'didnt',
  can: 'cant',
  will: 'wont',
  should: 'shouldnt',
  would: 'wouldnt',
  could: 'couldnt',
  is: 'isnt',
};

// Trimmed, cut to MAX_CLASSIFIED_LENGTH, lower-case, accents and apostrophes removed ("Don’t" → "dont", "ARRÊT" → "arret").
function prepare(text: string): string {
  const trimmed = text.trim();
  const head = trimmed.length > MAX_CLASSIFIED_LENGTH ? trimmed.slice(0, MAX_CLASSIFIED_LENGTH) : trimmed;
  return head
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/['’`ʼ]/g, '');
}

/** Lower-case, accents and surrounding punctuation removed, apostrophes dropped, spaces collapsed (the first MAX_CLASSIFIED_LENGTH characters). */
export function normalizeReply(text: string): string {
  return prepare(text)
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The reply's clauses as canonical words: cut at punctuation, emoji and conjunctions. */
function replyClauses(text: string): string[][] {
  const clauses: string[][] = [];
  for (const part of prepare(text).split(/[^\p{L}\p{N}\s-]+/u)) {
    let raw: string[] = [];
    for (const word of part.replace(/-/g, ' ').split(/\s+/)) {
      if (word === '') continue;
      if (CONJUNCTION.has(word)) {
        if (raw.length > 0) clauses.push(canonicalWords(raw));
        raw = [];
      } else raw.push(word);
    }
    if (raw.length > 0) clauses.push(canonicalWords(raw));
  }
  return clauses;
}

// Joins the words that are one word ("opt out", "do not", "thank you"), then takes each word's canonical form.
function canonicalWords(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    const next = raw[i + 1];
    if (w === 'opt' && next === 'out') {
      out.push('optout');
      i++;
    } else if (w === 'opt' && (next === 'me' || next === 'us') && raw[i + 2] === 'out') {
      out.push('optout', next);
      i += 2;
    } else if (w === 'un' && next !== undefined && next.startsWith('sub')) {
      out.push(canonicalWord(`un${next}`));
      i++;
    } else if (next === 'not' && NOT_CONTRACTION[w] !== undefined) {
      out.push(NOT_CONTRACTION[w]!);
      i++;
    } else if (w === 'thank' && (next === 'you' || next === 'u')) {
      out.push('thanks');
      i++;
    } else out.push(canonicalWord(w));
  }
  return out;
}

/** Classifies an inbound reply: stop beats everything; a per-se word used about something else is `other` and ambiguous. */
export function classifyReply(text: string): ReplyClassification {
  const n = normalizeReply(text);
  if (n === '') return { intent: 'other', ambiguous: false };
  const clauses = replyClauses(text);
  const words = clauses.flat();
  if (isKeywordReply(words) || isSpelledOutStop(words)) return { intent: 'stop', ambiguous: false };
  let mentionsStop = false;
  for (const clause of clauses) {
    const verdict = readClause(clause);
    if (verdict === 'stop') return { intent: 'stop', ambiguous: false };
    if (verdict === 'mention') mentionsStop = true;
  }
  if (START_WORDS.has(n)) return { intent: 'start', ambiguous: false };
  if (HELP_WORDS.has(n)) return { intent: 'help', ambiguous: false };
  if (YES_WORDS.has(n)) return { intent: 'yes', ambiguous: false };
  if (NO_WORDS.has(n)) return { intent: 'no', ambiguous: false };
  return { intent: 'other', ambiguous: mentionsStop };
}

// "S T O P", "s.t.o.p": a per-se word spelled out letter by letter.
function isSpelledOutStop(words: readonly string[]): boolean {
  if (words.length < 3 || !words.every((w) => w.length === 1)) return false;
  return readClause([canonicalWord(words.join(''))]) === 'stop';
}
