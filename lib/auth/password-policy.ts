import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * What a new password must be, after NIST SP 800-63B §3.1.1.2: at least 12
 * characters (our choice above its 8), at most 128, no composition rules, and
 * not a commonly used or breached password nor built on words of this
 * service or this person. "Common" is zxcvbn's offline lists (passwords from
 * public breaches, English words, names, keyboard patterns); no password
 * leaves the server to be checked.
 */
export const PASSWORD_LENGTH = { min: 12, max: 128 } as const;

/** zxcvbn's score 3: about 10^8 guesses, "safely unguessable" against an online attack. */
const MIN_SCORE = 3;

/** Words of this service, always refused inside a password. */
const SERVICE_WORDS = ['optline'];

let zxcvbn: ZxcvbnFactory | undefined;
const checker = () =>
  (zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  }));

/** Why a password may not be used by this person (their email and name), or null when it may. */
export function passwordProblem(password: string, person: { email?: string; name?: string }): string | null {
  if (password.length < PASSWORD_LENGTH.min) return `the password needs at least ${PASSWORD_LENGTH.min} characters`;
  if (password.length > PASSWORD_LENGTH.max) return `the password is longer than ${PASSWORD_LENGTH.max} characters`;
  const words = contextWords(person);
  const lower = password.toLowerCase();
  const own = words.find((w) => lower.includes(w));
  if (own)
    return `this password contains “${own}” (${SERVICE_WORDS.includes(own) ? 'the name of this service' : 'from your name or email'}); choose words nobody links to you`;
  const result = checker().check(password, words);
  if (result.score >= MIN_SCORE) return null;
  if (result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs')) {
    return 'this password is built on your name or email; choose words nobody links to you';
  }
  if (result.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords-common')) {
    return 'this password is among the most common passwords (or made of them); choose a longer phrase of unrelated words';
  }
  return `this password is easy to guess${result.feedback.warning ? ` (${result.feedback.warning.replace(/\.$/, '').toLowerCase()})` : ''}; choose a longer phrase of unrelated words`;
}

/** The email, its local part, and the name's words (4 letters or more: shorter ones are in too many good passwords), plus the service's name. */
function contextWords(person: { email?: string; name?: string }): string[] {
  const email = person.email?.trim().toLowerCase() ?? '';
  const local = email.split('@')[0] ?? '';
  const nameWords = (person.name ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return [...new Set([...SERVICE_WORDS, email, local, ...nameWords].filter((w) => w.length >= 4))];
}
