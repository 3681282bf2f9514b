/**
 * The words the reply classifier reads (COMPLIANCE.md, "Replies"): each
 * surface form maps to one canonical word, and the canonical words fall into
 * the classes `revocation.ts` reasons with. Lists of words, not of phrases:
 * the sentence structure is decided there.
 */

/** FCC 24-24 (47 CFR 64.1200(a)(10)): words that revoke consent per se when used as a request, with their Spanish and French kin. */
export const GENERAL_REVOCATION = new Set(['stop', 'quit', 'end', 'cancel', 'cancelar', 'parar', 'detener', 'arreter']);

/** Per-se words whose only everyday sense is leaving a list or withdrawing consent. */
export const MESSAGING_REVOCATION = new Set(['revoke', 'optout', 'unsubscribe', 'desuscribir', 'desabonner', 'desinscrire', 'stopall']);

/** Carrier keywords that are ordinary words in their language ("para", "alto", "baja"): a revocation only as the whole reply (courtesy aside). */
export const KEYWORD_ONLY = new Set(['alto', 'para', 'basta', 'baja', 'arret']);

// Surface forms → canonical word. Apostrophes are already gone ("don't" → "dont").
const ALIASES: Record<string, string> = {
  unsub: 'unsubscribe',
  unsuscribe: 'unsubscribe',
  unsubscribeme: 'unsubscribe',
  desuscribirme: 'desuscribir',
  desuscribirse: 'desuscribir',
  desuscribete: 'desuscribir',
  desabonnez: 'desabonner',
  desabonnement: 'desabonner',
  desinscrivez: 'desinscrire',
  arretez: 'arreter',
  arrete: 'arreter',
  arreter: 'arreter',
  cancelen: 'cancelar',
  cancela: 'cancelar',
  cancelenme: 'cancelar',
  cancelarme: 'cancelar',
  paren: 'parar',
  detengan: 'detener',
  stp: 'stop',
  sop: 'stop',
  stio: 'stop',
  atop: 'stop',
  opout: 'optout',
  donot: 'dont',
  cannot: 'cant',
  u: 'you',
  ur: 'your',
  pls: 'please',
  plz: 'please',
  pleas: 'please',
  plis: 'please',
  pliz: 'please',
  txt: 'text',
  txts: 'texts',
  tx: 'text',
  msg: 'message',
  msgs: 'messages',
  msj: 'mensaje',
  msjs: 'mensajes',
  thx: 'thanks',
  ty: 'thanks',
  tks: 'thanks',
  thankyou: 'thanks',
  porfa: 'please',
  porfavor: 'please',
  svp: 'please',
};

/** Words with no meaning of their own around a request ("pls", "now", "thanks", "por favor", "svp"). */
export const COURTESY = new Set([
  'please',
  'kindly',
  'now',
  'right',
  'asap',
  'immediately',
  'already',
  'thanks',
  'thank',
  'ok',
  'okay',
  'k',
  'kk',
  'just',
  'sorry',
  'again',
  'too',
  'also',
  'yes',
  'yeah',
  'hey',
  'hi',
  'hello',
  'man',
  'bro',
  'dude',
  'guys',
  'sir',
  'maam',
  'lol',
  'omg',
  'seriously',
  'good',
  'forever',
  'permanently',
  'completely',
  'today',
  'away',
  'por',
  'favor',
  'gracias',
  'ahora',
  'ya',
  'merci',
  'sil',
  'vous',
  'plait',
]);

/** Determiners, possessives and adjectives skipped on the way from a per-se word to its object ("these annoying texts"). */
export const OBJECT_LEAD = new Set([
  'the',
  'these',
  'those',
  'this',
  'that',
  'your',
  'yall',
  'my',
  'all',
  'any',
  'of',
  'off',
  'from',
  'for',
  'more',
  'future',
  'further',
  'other',
  'annoying',
  'stupid',
  'damn',
  'fucking',
  'freaking',
  'constant',
  'endless',
  'daily',
  'automated',
  'unwanted',
  'promotional',
  'marketing',
  'text',
  'sending',
  'la',
  'las',
  'el',
  'los',
  'mi',
  'mis',
  'su',
  'sus',
  'estos',
  'estas',
  'este',
  'esta',
  'de',
  'del',
  'todos',
  'todas',
  'tus',
  'les',
  'des',
  'vos',
  'ces',
  'mes',
]);

/** What a request to stop may be about: the texts themselves, the list, the consent, or the writer. */
export const MESSAGING_OBJECT = new Set([
  'text',
  'texts',
  'texting',
  'message',
  'messages',
  'messaging',
  'sms',
  'mms',
  'subscription',
  'subscriptions',
  'consent',
  'me',
  'us',
  'list',
  'lists',
  'notification',
  'notifications',
  'alert',
  'alerts',
  'reminder',
  'reminders',
  'update',
  'updates',
  'promo',
  'promos',
  'promotion',
  'promotions',
  'offer',
  'offers',
  'ads',
  'spam',
  'spamming',
  'newsletter',
  'email',
  'emails',
  'emailing',
  'mail',
  'mailing',
  'number',
  'everything',
  'calls',
  'calling',
  'contact',
  'contacting',
  'communication',
  'communications',
  'sending',
  'bothering',
  'harassing',
  'writing',
  'pinging',
  'nonsense',
  'mensaje',
  'mensajes',
  'textos',
  'texto',
  'suscripcion',
  'notificaciones',
  'alertas',
  'recordatorios',
  'envios',
  'correos',
  'llamadas',
  'enviar',
  'enviarme',
  'mandar',
  'mandarme',
  'escribir',
  'escribirme',
  'envoyer',
  'ecrire',
  'texter',
  'contacter',
  'menvoyer',
  'menvoyez',
  'mecrire',
  'mecrivez',
]);

/** Pronouns that stand for the texts when nothing follows them ("stop it", "cancel that", "stop all"). */
export const STANDING_OBJECT = new Set(['it', 'this', 'that', 'these', 'those', 'them', 'all', 'everything']);

/** Words that, right before a per-se word, turn it down ("don't stop", "can't stop smiling", "no cancelar"). */
export const NEGATION = new Set([
  'dont',
  'never',
  'not',
  'cant',
  'wont',
  'didnt',
  'doesnt',
  'isnt',
  'shouldnt',
  'wouldnt',
  'couldnt',
  'nunca',
]);

/** Words that make a clause a report or a condition, not a request ("why did you stop texting me?", "if you cancel the texts"). */
export const NOT_A_REQUEST = new Set(['did', 'didnt', 'had', 'was', 'were', 'if', 'when', 'until', 'after', 'before', 'whether', 'once']);

/** Verbs of contacting someone (the plain requests: "don't text me", "no me envíen mensajes"). */
export const CONTACT_VERB = new Set(['text', 'message', 'contact', 'call', 'email', 'sms', 'send', 'write', 'bother', 'spam', 'ping']);

/** Spanish verbs of contacting someone, as the stem and an ending (envíen, manden, escriban, contacten, molesten, llamen, textees, enviarme). */
export const SPANISH_CONTACT_VERB =
  /^(?:envi|mand|escrib|contact|molest|llam|text)(?:e|es|en|a|as|an|ar|arme|ir|irme|ame|eme|enme|ees|een|ando)$/;

// Real words one edit away from a per-se word; never read as its misspelling.
const NOT_A_MISSPELLING = new Set(['cancer', 'carcel', 'evoke', 'revoked', 'canceled', 'cancels', 'revokes', 'pots', 'tops', 'spot']);

// Per-se words matched by edit distance, with the distance allowed (longer words tolerate more).
const DISTANCE_TARGETS: readonly [word: string, distance: number][] = [
  ['cancel', 1],
  ['revoke', 1],
  ['optout', 1],
  ['cancelar', 1],
  ['detener', 1],
  ['unsubscribe', 2],
  ['desuscribir', 2],
  ['desabonner', 2],
];
// Four-letter per-se words: only a swap of two neighbouring letters ("stpo", "qiut"); one more edit reaches ordinary words (step, shop, quite).
const SWAP_TARGETS = ['stop', 'quit'];

/** The longest word compared by edit distance; longer words are not misspellings of a per-se word. */
const MAX_DISTANCE_WORD = 16;

const KNOWN = new Set<string>([
  ...GENERAL_REVOCATION,
  ...MESSAGING_REVOCATION,
  ...KEYWORD_ONLY,
  ...COURTESY,
  ...OBJECT_LEAD,
  ...MESSAGING_OBJECT,
  ...STANDING_OBJECT,
  ...NEGATION,
  ...NOT_A_REQUEST,
  ...CONTACT_VERB,
]);

/** "stoooop" → "stop", "cancelll" → "cancel": every run of one letter becomes one letter. */
export function squeeze(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}

// Squeezed form → canonical word, for words written with letters repeated ("pleeease", "stooop").
const BY_SQUEEZED = new Map<string, string>();
for (const word of [...KNOWN, ...Object.keys(ALIASES)]) {
  const key = squeeze(word);
  if (!BY_SQUEEZED.has(key)) BY_SQUEEZED.set(key, ALIASES[word] ?? word);
}

/**
 * The canonical form of one lower-case, accent-free word: itself when known,
 * else its alias, else the known word it is with letters repeated, else the
 * per-se word it misspells, else itself.
 */
export function canonicalWord(word: string): string {
  const alias = ALIASES[word];
  if (alias !== undefined) return alias;
  if (KNOWN.has(word)) return word;
  const squeezed = squeeze(word);
  // A letter written three times or more is emphasis ("stoooop", "pleeease"); twice, it is read away only towards a per-se word
  // ("stopp", "cancell"), since ordinary words double letters ("miss" is not "mis", "off" not "of").
  const known = squeezed === word ? undefined : BY_SQUEEZED.get(squeezed);
  if (known !== undefined && (/(\p{L})\1\1/u.test(word) || isRevocationWord(known))) return known;
  return misspelledRevocation(squeezed) ?? word;
}

function isRevocationWord(word: string): boolean {
  return GENERAL_REVOCATION.has(word) || MESSAGING_REVOCATION.has(word) || KEYWORD_ONLY.has(word);
}

function misspelledRevocation(word: string): string | undefined {
  if (word.length > MAX_DISTANCE_WORD || NOT_A_MISSPELLING.has(word)) return undefined;
  for (const target of SWAP_TARGETS) if (isAdjacentSwap(word, target)) return target;
  for (const [target, allowed] of DISTANCE_TARGETS) {
    // Same first letter, not an inflection or compound of the word ("cancels", "unsubscribed" are other words).
    if (word[0] !== target[0] || word.startsWith(target) || Math.abs(word.length - target.length) > allowed) continue;
    if (word.length < 4) continue;
    if (osaDistance(word, target) <= allowed) return target;
  }
  return undefined;
}

function isAdjacentSwap(word: string, target: string): boolean {
  if (word.length !== target.length || word === target) return false;
  for (let i = 0; i < word.length - 1; i++) {
    if (word[i] !== target[i]) return word[i] === target[i + 1] && word[i + 1] === target[i] && word.slice(i + 2) === target.slice(i + 2);
  }
  return false;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. Both words are short (≤ 16). */
function osaDistance(a: string, b: string): number {
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
