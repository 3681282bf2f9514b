import {
  COURTESY,
  CONTACT_VERB,
  GENERAL_REVOCATION,
  KEYWORD_ONLY,
  MESSAGING_OBJECT,
  MESSAGING_REVOCATION,
  NEGATION,
  NOT_A_REQUEST,
  OBJECT_LEAD,
  SPANISH_CONTACT_VERB,
  STANDING_OBJECT,
} from './reply-words';

/**
 * Whether one clause (canonical words, see `reply-words.ts`) revokes consent
 * (COMPLIANCE.md, "Replies"): `stop`; uses a per-se word some other way
 * (`mention`: "I'll stop by at 3", worth one clarifying question); or neither.
 */
export type ClauseVerdict = 'stop' | 'mention' | 'none';

/** Reads one clause: a plain request to stop, or a per-se word used as a request, is `stop`. */
export function readClause(words: readonly string[]): ClauseVerdict {
  if (isPlainRequest(words)) return 'stop';
  let verdict: ClauseVerdict = 'none';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const specific = MESSAGING_REVOCATION.has(word);
    if (!specific && !GENERAL_REVOCATION.has(word)) continue;
    if (readRevocationWord(words, i, specific) === 'stop') return 'stop';
    verdict = 'mention';
  }
  return verdict;
}

/** A reply that is only carrier keywords and courtesy ("ALTO", "para por favor", "baja"). */
export function isKeywordReply(words: readonly string[]): boolean {
  return words.some((w) => KEYWORD_ONLY.has(w)) && words.every((w) => KEYWORD_ONLY.has(w) || COURTESY.has(w));
}

// A per-se word at `i`: a request unless turned down, about another object, inside a report or condition, or after a subject that is not the writer asking.
function readRevocationWord(words: readonly string[], i: number, specific: boolean): 'stop' | 'mention' {
  const before = words.slice(0, i);
  if (isNegated(before, words[i]!)) return 'mention';
  const object = objectAfter(words, i + 1);
  if (object === 'foreign') return 'mention';
  if (before.some((w) => NOT_A_REQUEST.has(w))) return 'mention';
  if (object === 'messaging' || words[i] === 'stopall') return 'stop';
  return isRequestFraming(before, specific) ? 'stop' : 'mention';
}

// Words that may stand between a negation and the verb it turns down ("don't ever stop", "don't want you to stop").
const NEGATION_GAP = new Set(['ever', 'just', 'really', 'please', 'you', 'even', 'i', 'to', 'want', 'wanna', 'ya', 'me']);
const SPANISH_REVOCATION = new Set(['cancelar', 'parar', 'detener', 'desuscribir']);

function isNegated(before: readonly string[], verb: string): boolean {
  for (let k = before.length - 1; k >= 0 && k >= before.length - 5; k--) {
    const w = before[k]!;
    // "why won't you stop texting me" asks for the stop.
    if (NEGATION.has(w)) return before[k - 1] !== 'why';
    if (w === 'no' && SPANISH_REVOCATION.has(verb)) return true;
    if (!NEGATION_GAP.has(w)) return false;
  }
  return false;
}

/** What follows a per-se word: the texts or the writer (`messaging`), something else (`foreign`), or nothing but courtesy and pronouns (`none`). */
function objectAfter(words: readonly string[], from: number): 'messaging' | 'foreign' | 'none' {
  for (let k = from; k < words.length; k++) {
    const w = words[k]!;
    if (MESSAGING_OBJECT.has(w)) {
      // "I'll stop texting you": the writer stops, the business is not asked to.
      return w.endsWith('ing') && words[k + 1] === 'you' ? 'foreign' : 'messaging';
    }
    if (GENERAL_REVOCATION.has(w) || MESSAGING_REVOCATION.has(w) || KEYWORD_ONLY.has(w)) continue;
    if (COURTESY.has(w) || OBJECT_LEAD.has(w) || STANDING_OBJECT.has(w)) continue;
    return 'foreign';
  }
  return 'none';
}

// Openings of a request by the writer ("please", "I want to", "can you"); a clause opened otherwise ("what time does it end") is not one.
const FRAMING: readonly (readonly string[])[] = [
  ['i', 'want', 'to'],
  ['i', 'wanna'],
  ['i', 'would', 'like', 'to'],
  ['id', 'like', 'to'],
  ['i', 'wish', 'to'],
  ['i', 'want', 'you', 'to'],
  ['i', 'need', 'you', 'to'],
  ['id', 'like', 'you', 'to'],
  ['i', 'would', 'like', 'you', 'to'],
  ['i', 'said'],
  ['i', 'told', 'you', 'to'],
  ['i', 'asked', 'you', 'to'],
  ['i', 'am', 'asking', 'you', 'to'],
  ['im', 'asking', 'you', 'to'],
  ['i', 'hereby'],
  ['i'],
  ['we'],
  ['hereby'],
  ['can', 'you'],
  ['could', 'you'],
  ['would', 'you'],
  ['will', 'you'],
  ['you', 'need', 'to'],
  ['you', 'must'],
  ['you', 'can'],
  ['let', 'me'],
  ['lets'],
  ['go', 'ahead', 'and'],
  ['want', 'to'],
  ['wanna'],
  ['time', 'to'],
  ['not', 'interested'],
  ['no'],
  ['quiero'],
  ['queremos'],
  ['deseo'],
  ['me', 'gustaria'],
  ['puedes'],
  ['pueden'],
  ['podrian'],
  ['podria'],
  ['favor', 'de'],
  ['yo'],
  ['me'],
  ['je', 'veux'],
  ['je', 'voudrais'],
  ['veuillez'],
  ['je'],
];
// Words that only ever leave a list ("unsubscribe", "opt out") are requests after a question about how, too ("how do I unsubscribe?").
const SPECIFIC_FRAMING: readonly (readonly string[])[] = [
  ['can', 'i'],
  ['may', 'i'],
  ['how', 'do', 'i'],
  ['how', 'can', 'i'],
  ['how', 'do', 'we'],
  ['how', 'to'],
  ['where', 'do', 'i'],
  ['where', 'can', 'i'],
  ['i', 'need', 'to'],
  ['need', 'to'],
  ['como', 'puedo'],
  ['puedo'],
];

function isRequestFraming(before: readonly string[], specific: boolean): boolean {
  const patterns = specific ? [...SPECIFIC_FRAMING, ...FRAMING] : FRAMING;
  let at = 0;
  while (at < before.length) {
    if (COURTESY.has(before[at]!)) {
      at++;
      continue;
    }
    let longest = 0;
    for (const p of patterns) if (p.length > longest && p.every((w, k) => before[at + k] === w)) longest = p.length;
    if (longest === 0) return false;
    at += longest;
  }
  return true;
}

// Plain requests ------------------------------------------------------------------

// After "don't text": the writer, or the end of the request ("don't text me", "do not contact us again").
const CONTACT_TARGET = new Set(['me', 'us', 'anymore', 'again', 'ever', 'this', 'my', 'please', 'here']);
const REMOVE_VERB = new Set(['remove', 'delete', 'take', 'erase', 'lose']);
const REMOVED = new Set(['me', 'us', 'number', 'phone', 'info', 'information', 'contact', 'name']);
const SPANISH_REMOVE = new Set(['borrenme', 'borrame', 'sacame', 'saquenme', 'quitenme', 'quitame', 'eliminenme', 'eliminame']);
const WRONG_WHO = new Set(['number', 'person', 'guy', 'girl', 'phone', 'numero']);
const DONT_WANT_GAP = new Set(['i', 'really', 'longer', 'do', 'even']);
const DONT_WANT_OBJECT_GAP = new Set([
  'to',
  'receive',
  'get',
  'getting',
  'be',
  'you',
  'anymore',
  'recibir',
  'mas',
  'ningun',
  'ninguno',
  'ya',
]);
const CONTACTED = new Set(['contacted', 'texted', 'messaged', 'called', 'recibir']);
const DEJAR = new Set(['dejen', 'deja', 'dejar', 'deje', 'dejes', 'dejan']);

/** Requests to stop without a per-se word: "don't contact me anymore", "no more messages from you", "ya no me envíen mensajes". */
function isPlainRequest(words: readonly string[]): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if ((w === 'dont' || w === 'never') && next !== undefined && isDontContact(words, i + 1)) return true;
    if (w === 'no' && (next === 'more' || next === 'mas') && isEndOfMore(words, i + 2)) return true;
    if (w === 'leave' && (next === 'me' || next === 'us') && words[i + 2] === 'alone') return true;
    if (/^dej[ae]n?me$/.test(w) && next === 'en' && words[i + 2] === 'paz') return true;
    if (REMOVE_VERB.has(w) && isRemoveMe(words, i + 1)) return true;
    if (w === 'remove' && i === 0 && words.slice(1).every((r) => COURTESY.has(r))) return true;
    if (SPANISH_REMOVE.has(w)) return true;
    if (w === 'wrong' && next !== undefined && WRONG_WHO.has(next)) return true;
    if (w === 'numero' && next === 'equivocado') return true;
    if ((w === 'want' || w === 'wish' || w === 'quiero') && isDontWant(words, i)) return true;
    if (w === 'no' && isSpanishNoContact(words, i + 1)) return true;
    if (w === 'ya' && next === 'no' && words.length === 2) return true;
    if (DEJAR.has(w) && next === 'de' && words[i + 2] !== undefined && isSpanishContact(words[i + 2]!)) return true;
    if (w === 'de' && next === 'baja') return true;
  }
  return false;
}

function isDontContact(words: readonly string[], at: number): boolean {
  let k = at;
  if (words[k] === 'ever') k++;
  const verb = words[k];
  if (verb === undefined || !CONTACT_VERB.has(verb)) return false;
  const rest = words.slice(k + 1);
  // "don't send me texts": sending needs what is sent; "don't send me the link" is about a link.
  if (verb === 'send') return rest.some((r) => MESSAGING_OBJECT.has(r) && r !== 'me' && r !== 'us') || rest.includes('anything');
  return rest.length === 0 || CONTACT_TARGET.has(rest[0]!);
}

function isEndOfMore(words: readonly string[], at: number): boolean {
  for (let k = at; k < words.length; k++) {
    const w = words[k]!;
    if (MESSAGING_OBJECT.has(w)) return true;
    if (COURTESY.has(w) || w === 'from' || w === 'of' || w === 'these' || w === 'your') continue;
    return false;
  }
  return true;
}

function isRemoveMe(words: readonly string[], at: number): boolean {
  let k = at;
  if (words[k] === 'my' || words[k] === 'this' || words[k] === 'our') k++;
  if (!REMOVED.has(words[k] ?? '')) return false;
  for (k++; k < words.length; k++) {
    const w = words[k]!;
    if (MESSAGING_OBJECT.has(w) || w === 'database' || w === 'system' || w === 'contacts') return true;
    if (COURTESY.has(w) || OBJECT_LEAD.has(w) || w === 'off' || w === 'number') continue;
    return false;
  }
  return true;
}

function isDontWant(words: readonly string[], at: number): boolean {
  let negated = false;
  for (let k = at - 1; k >= 0 && k >= at - 3; k--) {
    const w = words[k]!;
    if (NEGATION.has(w) || w === 'no') {
      negated = true;
      break;
    }
    if (!DONT_WANT_GAP.has(w)) break;
  }
  if (!negated) return false;
  // The texts themselves must be what is not wanted: "I don't want these texts", not "I don't want to miss any reminders" or "… to stop getting reminders".
  for (let k = at + 1; k < words.length; k++) {
    const w = words[k]!;
    if ((MESSAGING_OBJECT.has(w) && w !== 'me' && w !== 'us') || CONTACTED.has(w) || CONTACT_VERB.has(w)) return true;
    if (!DONT_WANT_OBJECT_GAP.has(w) && !OBJECT_LEAD.has(w)) return false;
  }
  return false;
}

function isSpanishContact(word: string): boolean {
  return SPANISH_CONTACT_VERB.test(word) || MESSAGING_OBJECT.has(word);
}

// "no me envíen", "ya no me manden más", "no nos escriban".
function isSpanishNoContact(words: readonly string[], at: number): boolean {
  for (let k = at; k < words.length && k <= at + 2; k++) {
    const w = words[k]!;
    if (w === 'me' || w === 'nos' || w === 'mas' || w === 'les' || w === 'ya') continue;
    return SPANISH_CONTACT_VERB.test(w);
  }
  return false;
}
