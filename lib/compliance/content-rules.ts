import type { Purpose } from './types';

/**
 * Content rules checked on every template (COMPLIANCE.md, "Content rules").
 * Templates are checked as written: a Liquid tag counts as its literal text.
 */

export type DisclosureKind = 'brand' | 'stop' | 'help' | 'frequency' | 'rates';

/** Plain text with Liquid tags and accents folded away, lower-cased, for phrase tests. */
function fold(text: string): string {
  // Plain ASCII has no accents or curly quotes to fold: only the case (the normalisation is most of the cost).
  if (!/[^\p{ASCII}]/u.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[’‘]/g, "'").toLowerCase();
}

const STOP_INSTRUCTION =
  /\b(reply|text|send|respond)\b[^.!?\n]{0,30}\b(stop|end|cancel|unsubscribe|quit)\b|\b(stop|end|cancel|unsubscribe|quit)\b[^.!?\n]{0,6}\bto\s+(opt[\s-]?out|cancel|unsubscribe|end|stop|decline)/;
const HELP_INSTRUCTION = /\b(reply|text|send|respond)\b[^.!?\n]{0,30}\bhelp\b|\bhelp\b[^.!?\n]{0,6}\bfor\s+(help|info|more)/;
const FREQUENCY =
  /\b(msg|message|text|sms)s?\s*(&|and)?\s*(freq|frequency)\b|\bfrequency\s+varies\b|\b(up to|max(imum)?|about|approx\.?|\d+)\s*(\d+\s*)?(msgs?|messages?|texts?)\s*(\/|per|a|each)\s*(day|week|month|year|bill|visit|appointment)\b|\b(one|1|recurring)\s+(msgs?|messages?|texts?)\s+(per|a|each)\s+\w+/;
const RATES = /\b(msg|message)s?\s*(&|and)\s*data\s+rates\s+(may|will|might)\s+apply\b/;

/**
 * Which disclosures an opt-in message lacks (CTIA Messaging Principles and
 * Best Practices; 47 CFR 64.1200(f)(9) for written marketing consent): an
 * explicit marketing opt-in names the brand, says how to opt out (STOP) and
 * get help (HELP), the message frequency and "Msg & data rates may apply";
 * an informational request or notice names the brand and how to decline.
 */
export function checkOptinDisclosures(input: { body: string; purpose: Purpose; mode: 'explicit' | 'notice'; brand: string }): {
  missing: DisclosureKind[];
} {
  const text = fold(input.body);
  const missing: DisclosureKind[] = [];
  if (!text.includes(fold(input.brand).trim())) missing.push('brand');
  if (!STOP_INSTRUCTION.test(text)) missing.push('stop');
  if (input.purpose === 'marketing' && input.mode === 'explicit') {
    if (!HELP_INSTRUCTION.test(text)) missing.push('help');
    if (!FREQUENCY.test(text)) missing.push('frequency');
    if (!RATES.test(text)) missing.push('rates');
  }
  return { missing };
}

const DISCLOSURE_WORDS: Record<DisclosureKind, string> = {
  brand: 'name the sender (brand)',
  stop: 'say how to opt out (e.g. "Reply STOP to opt out")',
  help: 'say how to get help (e.g. "Reply HELP for help")',
  frequency: 'say how often messages come (e.g. "Msg frequency varies")',
  rates: 'say "Msg & data rates may apply"',
};

/** One sentence a marketer can act on, listing what the opt-in message must add. */
export function describeMissingDisclosures(
  missing: readonly DisclosureKind[],
  ctx: { brand: string; purpose: Purpose; mode: 'explicit' | 'notice' },
): string {
  const what = missing.map((k) => (k === 'brand' ? `name the sender ("${ctx.brand}")` : DISCLOSURE_WORDS[k]));
  const list = what.length === 1 ? what[0]! : `${what.slice(0, -1).join(', ')} and ${what[what.length - 1]}`;
  const kind =
    ctx.mode === 'notice' ? 'This opt-in notice' : ctx.purpose === 'marketing' ? 'This marketing opt-in message' : 'This opt-in message';
  return `${kind} must ${list}.`;
}

export type CardDataKind = 'card-number' | 'expiry' | 'cvv' | 'pin' | 'bank-account' | 'ssn' | 'luhn-number';

export interface CardDataFinding {
  kind: CardDataKind;
  match: string;
  message: string;
}

// A request verb near the sensitive item: asking, not merely mentioning ("account ending in 4242").
const ASK = String.raw`(reply|text|send|enter|provide|give|share|confirm|type|respond|need|what\s+is|what's|tell\s+us|include|responde|env[ií]a|manda|escribe)`;
const NEAR = String.raw`[^.!?\n]{0,40}`;

const CARD_RULES: { kind: Exclude<CardDataKind, 'luhn-number'>; pattern: RegExp; message: string }[] = [
  {
    kind: 'card-number',
    pattern: new RegExp(
      `\\b${ASK}\\b${NEAR}\\b(card\\s*(number|no\\.?|#|num)|credit\\s*card|debit\\s*card|n[uú]mero\\s+de\\s+(la\\s+)?tarjeta|tarjeta)\\b`,
    ),
    message: 'asks for a card number: card data must only be entered on the hosted payment page',
  },
  {
    kind: 'expiry',
    pattern: new RegExp(`\\b${ASK}\\b${NEAR}\\b(expir(y|ation)(\\s+date)?|exp\\.?\\s*date|valid\\s+thru|fecha\\s+de\\s+vencimiento)\\b`),
    message: 'asks for a card expiry date',
  },
  {
    kind: 'cvv',
    pattern: new RegExp(`\\b(cvv2?|cvc2?|cid|security\\s+code|c[oó]digo\\s+de\\s+seguridad)\\b`),
    message: 'mentions a card security code (CVV/CVC): never ask for it by text',
  },
  { kind: 'pin', pattern: new RegExp(`\\b${ASK}\\b${NEAR}\\bpin\\b|\\bpin\\s*(number|code|#)\\b`), message: 'asks for a PIN' },
  {
    kind: 'bank-account',
    pattern: new RegExp(
      `\\b${ASK}\\b${NEAR}\\b(bank\\s+account(\\s+(number|no\\.?|#))?|account\\s+(number|no\\.?|#)|routing\\s+(number|no\\.?|#)|iban|cuenta\\s+bancaria)\\b`,
    ),
    message: 'asks for a bank account or routing number',
  },
  {
    kind: 'ssn',
    pattern: /\b(ssn|social\s+security(\s+(number|no\.?|#))?|seguro\s+social)\b/,
    message: 'mentions a Social Security number: never ask for it by text',
  },
];

/**
 * Templates that ask for card data or other payment secrets, or contain a
 * card number (PCI DSS: card data never travels by SMS and never touches
 * Optline; payments happen on the provider's hosted page, SAQ A).
 */
export function findCardDataRequests(body: string): CardDataFinding[] {
  const text = fold(body).replace(/\{\{[^}]*\}\}/g, ' ');
  const findings: CardDataFinding[] = [];
  for (const rule of CARD_RULES) {
    const m = rule.pattern.exec(text);
    if (m) findings.push({ kind: rule.kind, match: m[0].trim(), message: `This message ${rule.message}.` });
  }
  for (const m of text.matchAll(/\b\d(?:[ -]?\d){12,18}\b/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) {
      findings.push({
        kind: 'luhn-number',
        match: m[0],
        message: 'This message contains what looks like a card number (it passes the Luhn check): remove it.',
      });
    }
  }
  return findings;
}

/** The Luhn (mod 10) check used by payment card numbers (ISO/IEC 7812). */
export function isLuhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
