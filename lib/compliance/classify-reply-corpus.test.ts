import { describe, expect, it } from 'vitest';
import { classifyReply, MAX_CLASSIFIED_LENGTH } from './classify-reply';

/**
 * Generated corpora (COMPLIANCE.md, "Replies"; issue 17): every way of
 * writing a revocation built from its parts must be `stop` (recall), and
 * ordinary prose using the same words must never be (precision).
 */

// The FCC 24-24 per-se words (47 CFR 64.1200(a)(10)), each with misspellings and letters repeated, and the word that leads to its object.
const PER_SE: readonly { spellings: readonly string[]; into: string }[] = [
  { spellings: ['stop', 'stoooop', 'stpo', 'sotp', 'stp', 'stopp'], into: '' },
  { spellings: ['quit', 'quiiit', 'qiut'], into: '' },
  { spellings: ['end', 'ennnd'], into: '' },
  { spellings: ['revoke', 'revok', 'revoek'], into: '' },
  { spellings: ['opt out', 'opt-out', 'optout', 'opt  out'], into: ' of' },
  { spellings: ['cancel', 'cancle', 'cansel', 'cancell'], into: '' },
  { spellings: ['unsubscribe', 'unsubscibe', 'unsubcribe', 'unsuscribe', 'unsubscrive', 'unsub'], into: ' from' },
];
const PREFIXES = ['', 'please ', 'pls ', 'Please just ', 'ok ', 'hey ', 'I want to ', 'can you '];
const SUFFIXES = ['', ' please', ' pls', ' thanks', ' thank you', ' now', ' asap', ' por favor'];
const OBJECTS = [
  '',
  ' texts',
  ' these texts',
  ' the messages',
  ' my subscription',
  ' this list',
  ' my consent',
  ' texting me',
  ' me',
  ' it',
];
const CASES: readonly ((s: string) => string)[] = [(s) => s, (s) => s.toUpperCase(), (s) => s[0]!.toUpperCase() + s.slice(1)];
const ENDINGS = ['', '.', '!!!', '?', ' 🙏'];

// Requests without a per-se word, and the Spanish and French forms (carrier keywords and sentences).
const PLAIN_REQUESTS = [
  "don't contact me anymore",
  'do not text me',
  'never text me again',
  'no more messages from you',
  'no more texts',
  'leave me alone',
  'remove me from your list',
  'take me off this list',
  'remove my number',
  'wrong number',
  "I don't want these texts",
  'I no longer want to receive messages',
  'ya no me envíen mensajes',
  'no me manden más mensajes',
  'no me escribas',
  'no quiero recibir mensajes',
  'dejen de enviarme mensajes',
  'quiero darme de baja',
  'quiero cancelar mi suscripción',
  'ALTO',
  'PARAR',
  'CANCELAR',
  'BAJA',
  'basta',
  'detener',
  'ARRET',
  'ARRÊT',
  'DESABONNER',
  'DÉSABONNER',
  "arrêtez de m'envoyer des messages",
  'je veux me désabonner',
];
const PLAIN_COURTESY = ['', ' please', ' thanks', ' por favor', ' svp'];

// Prose that uses a per-se word about something else: never an opt-out.
const PROSE = [
  "I'll {w} by at 3",
  'does the sale {w} Friday?',
  'can I {w} the order and pay later?',
  "please don't {w} my service",
  "can't {w} smiling",
  'what time does it {w}?',
  'I need to {w} my appointment',
  'when does the visit {w}?',
  'did the meeting {w} early?',
  'the show will {w} at 9',
  "don't {w} the reminders",
  'can you {w} by tomorrow',
  'I want to {w} smoking',
  'if you {w} the order, refund me',
  'does my plan {w} next month?',
  'why did the service {w}?',
  'we might {w} the reservation',
  "I'll {w} at the store on the way",
  "please don't {w}, I love these updates",
  'never {w} believing',
  'the trial will {w} soon',
  'is it ok if I {w} the visit?',
  '{w} by the office at noon',
  'we had to {w} the trip',
  "you can't {w} now, we're so close",
  'what happens if I {w} my booking?',
  'he wants to {w} his job',
  'did you {w} the delivery?',
  'I {w} work at 5',
  '{w} at the corner and turn left',
  'will the sale {w} today?',
  'they {w} the appointment already',
  'why did you {w} texting me?',
  "I'll {w} texting you after the game",
];

// Prose close to a plain request, without a per-se word: neither a STOP nor ambiguous.
const LOOKALIKES = [
  'Can you send me the link again?',
  'Please send me a reminder the day before',
  "I'll text you when I'm there",
  "don't forget to text me the address",
  'Text me the address please',
  "Don't send the bill to my old address",
  'No more appointments this month',
  'no more than 2 people',
  'Leave it at the door',
  'please remove the late fee',
  'Delete the old card',
  "wrong date, it's Tuesday",
  "I'm not interested in the upgrade",
  "I don't want to miss any reminders",
  'Got your message, thanks',
  'Please call me',
  'No entiendo el mensaje',
  '¿me mandaste el enlace?',
  'la cita es para las 3',
  'No mandatory fields',
];

function revocationCorpus(): string[] {
  const out: string[] = [];
  for (const { spellings, into } of PER_SE)
    for (const spelling of spellings)
      for (const prefix of PREFIXES)
        for (const object of OBJECTS)
          for (const suffix of SUFFIXES) {
            // "opt out of texts", "unsubscribe from this list"; "opt out me" reads as "opt me out".
            const lead = object === '' || object === ' me' || object === ' it' || object === ' texting me' ? '' : into;
            const base = `${prefix}${spelling}${lead}${object}${suffix}`;
            for (const dress of CASES) for (const ending of ENDINGS) out.push(`${dress(base)}${ending}`);
          }
  for (const request of PLAIN_REQUESTS)
    for (const courtesy of PLAIN_COURTESY)
      for (const dress of CASES) for (const ending of ENDINGS) out.push(`${dress(`${request}${courtesy}`)}${ending}`);
  return out;
}

function proseCorpus(): string[] {
  const out: string[] = [];
  for (const template of PROSE)
    for (const { spellings } of PER_SE)
      for (const spelling of spellings) for (const dress of CASES) out.push(dress(template.replace('{w}', spelling)));
  return out;
}

describe('classifyReply on generated corpora', () => {
  const revocations = revocationCorpus();
  const prose = proseCorpus();
  const missed = revocations.filter((text) => classifyReply(text).intent !== 'stop');
  const falseStops = prose.filter((text) => classifyReply(text).intent === 'stop');
  const proseAmbiguous = prose.filter((text) => classifyReply(text).ambiguous).length;
  const lookalikes = LOOKALIKES.flatMap((text) => CASES.map((dress) => dress(text)));
  const lookalikeStops = lookalikes.filter((text) => classifyReply(text).intent === 'stop');
  const truePositives = revocations.length - missed.length;
  const percent = (n: number, d: number) => `${((100 * n) / d).toFixed(2)} %`;
  console.info(
    [
      'classifyReply, generated corpora',
      `  revocations: ${revocations.length} replies, ${truePositives} stop, recall ${percent(truePositives, revocations.length)}`,
      `  prose:       ${prose.length} replies, ${falseStops.length} stop, ${proseAmbiguous} ambiguous`,
      `  lookalikes:  ${lookalikes.length} replies, ${lookalikeStops.length} stop`,
      `  precision:   ${percent(truePositives, truePositives + falseStops.length + lookalikeStops.length)} (stop on revocations / every stop)`,
    ].join('\n'),
  );

  it('builds corpora of every per-se word with courtesy, objects, case, punctuation and misspellings, and of prose', () => {
    expect(revocations.length).toBeGreaterThan(100_000);
    expect(prose.length).toBeGreaterThan(2_500);
  });

  it('recalls every revocation (100 %)', () => {
    expect(missed.slice(0, 20)).toEqual([]);
    expect(missed.length).toBe(0);
  });

  it('takes no prose for a revocation (no false stop)', () => {
    expect(falseStops.slice(0, 20)).toEqual([]);
  });

  it('takes prose close to a plain request for neither a revocation nor an ambiguous reply', () => {
    expect(lookalikes.filter((text) => classifyReply(text).intent === 'stop' || classifyReply(text).ambiguous)).toEqual([]);
  });

  it('marks prose with a per-se word as ambiguous', () => {
    const plain = prose.filter((text) => !classifyReply(text).ambiguous);
    expect(plain.slice(0, 20)).toEqual([]);
  });
});

describe('classifyReply on long input', () => {
  it(`reads a revocation at the start of a long message`, () => {
    expect(classifyReply(`Stop texting me. ${'I have said it before. '.repeat(10_000)}`).intent).toBe('stop');
  });

  it(`does not read past the first ${MAX_CLASSIFIED_LENGTH} characters (after trimming)`, () => {
    const filler = 'x'.repeat(MAX_CLASSIFIED_LENGTH);
    expect(classifyReply(`${filler} stop`)).toEqual({ intent: 'other', ambiguous: false });
    expect(classifyReply(`${' '.repeat(5_000)}stop`)).toEqual({ intent: 'stop', ambiguous: false });
    expect(classifyReply(`${'x'.repeat(MAX_CLASSIFIED_LENGTH - 10)}. stop`)).toEqual({ intent: 'stop', ambiguous: false });
  });
});
