/**
 * Reply intents (COMPLIANCE.md, "Replies"). FCC 24-24 (2024): consent may be
 * revoked by any reasonable means, and "stop", "quit", "end", "revoke",
 * "opt out", "cancel" and "unsubscribe" revoke it per se; CTIA Messaging
 * Principles: STOP, HELP and START must always work. A whole-message match on
 * keywords and short requests; a stop word inside ordinary prose is `other`
 * and `ambiguous` (the runtime may ask once), never a false opt-out.
 */
export type ReplyIntent = 'stop' | 'start' | 'help' | 'yes' | 'no' | 'other';

export interface ReplyClassification {
  intent: ReplyIntent;
  ambiguous: boolean;
}

// FCC 24-24's per-se words, carrier keywords, Spanish and the French "arret" (Canadian carriers).
const STOP_WORDS = new Set([
  'stop',
  'stopall',
  'quit',
  'end',
  'revoke',
  'optout',
  'cancel',
  'unsubscribe',
  'unsub',
  'alto',
  'parar',
  'para',
  'basta',
  'cancelar',
  'detener',
  'arret',
  'arrete',
  'desuscribir',
  'darme de baja',
]);
const STOP_PHRASES = [
  'stop all',
  'opt out',
  'opt me out',
  'stop please',
  'please stop',
  'stop it',
  'stop now',
  'stop messaging me',
  'stop texting me',
  'stop texting',
  'stop sending',
  'stop sending me texts',
  'stop sending me messages',
  'stop messages',
  'stop the texts',
  'unsubscribe me',
  'please unsubscribe',
  'please unsubscribe me',
  'unsubscribe please',
  'cancel please',
  'cancel all',
  'cancel messages',
  'remove me',
  'please remove me',
  'remove me please',
  'remove me from this list',
  'remove me from your list',
  'please remove me from this list',
  'please remove me from your list',
  'remove my number',
  'take me off',
  'take me off your list',
  'take me off this list',
  'take me off the list',
  'dont text me',
  'do not text me',
  'dont text me anymore',
  'do not text me anymore',
  'dont text',
  'do not text',
  'dont message me',
  'do not contact me',
  'dont contact me',
  'no more texts',
  'no more messages',
  'no more',
  'no more text',
  'leave me alone',
  'wrong number',
  'wrong person',
  'you have the wrong number',
  'not interested stop',
  'end all',
  'quit texting me',
  'no mas',
  'no mas mensajes',
  'ya no',
  'no me envies mas',
  'no me escribas',
  'no quiero mensajes',
  'arret svp',
  'arretez',
];
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
// Misspellings seen in real opt-out traffic; short ones are listed, longer ones are matched by edit distance.
const STOP_MISSPELLINGS = new Set([
  'stp',
  'stpo',
  'sotp',
  'stoop',
  'stopp',
  'sop',
  'stio',
  'atop',
  'unsubscibe',
  'unsubcribe',
  'unsubscrib',
  'unsuscribe',
  'unsubsribe',
  'cancle',
  'cansel',
  'cancell',
  'optout',
  'opout',
]);
const DISTANCE_TARGETS = ['unsubscribe', 'cancel', 'revoke'];
// Words that carry no meaning of their own around a keyword.
const COURTESY = new Set([
  'please',
  'pls',
  'plz',
  'now',
  'thanks',
  'thank',
  'you',
  'thx',
  'me',
  'it',
  'asap',
  'immediately',
  'already',
  'ok',
  'okay',
  'por',
  'favor',
  'svp',
]);
// Words that look like typos of a stop word but are ordinary.
const NOT_STOP = new Set([
  'step',
  'shop',
  'spot',
  'stoo',
  'send',
  'and',
  'top',
  'sto',
  'stopped',
  'stops',
  'pots',
  'post',
  'cancun',
  'camel',
  'revoked',
]);

/** Lower-case, accents and surrounding punctuation removed, apostrophes dropped, spaces collapsed. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/-/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Classifies an inbound reply: stop beats everything; ordinary prose with a stop word is `other` and ambiguous. */
export function classifyReply(text: string): ReplyClassification {
  const n = normalizeReply(text);
  const compact = n.replace(/ /g, '');
  if (n === '') return { intent: 'other', ambiguous: false };
  if (isStop(n, compact)) return { intent: 'stop', ambiguous: false };
  if (START_WORDS.has(n)) return { intent: 'start', ambiguous: false };
  if (HELP_WORDS.has(n)) return { intent: 'help', ambiguous: false };
  if (YES_WORDS.has(n)) return { intent: 'yes', ambiguous: false };
  if (NO_WORDS.has(n)) return { intent: 'no', ambiguous: false };
  const words = n.split(' ');
  const mentionsStop =
    words.some((w) => STOP_WORDS.has(w) || STOP_MISSPELLINGS.has(w)) || n.includes('opt out') || n.includes('unsubscribe');
  return { intent: 'other', ambiguous: mentionsStop };
}

function isStop(n: string, compact: string): boolean {
  if (STOP_WORDS.has(n) || STOP_WORDS.has(compact) || STOP_PHRASES.includes(n)) return true;
  if (STOP_MISSPELLINGS.has(n) || STOP_MISSPELLINGS.has(compact)) return true;
  if (NOT_STOP.has(n)) return false;
  if (!n.includes(' ') && n.length >= 5 && DISTANCE_TARGETS.some((t) => damerauLevenshtein(n, t) <= 1)) return true;
  // "STOP STOP", "unsubscribe me please", "stop now thanks": stop words with only courtesy around them.
  const words = n.split(' ').filter((w) => !COURTESY.has(w));
  return words.length > 0 && words.length <= 3 && words.every((w) => STOP_WORDS.has(w) || STOP_MISSPELLINGS.has(w));
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function damerauLevenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
