import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyReply, type ReplyIntent } from './classify-reply';

type Row = [text: string, intent: ReplyIntent, ambiguous?: boolean];

// At least 150 real-world replies (COMPLIANCE.md, "Replies"; issue 4).
const TABLE: Row[] = [
  // FCC 24-24 per-se words, any case, spacing and punctuation.
  ['STOP', 'stop'], ['stop', 'stop'], ['Stop.', 'stop'], [' STOP ', 'stop'], ['Stop!', 'stop'], ['STOP!!!', 'stop'], ['"stop"', 'stop'],
  ['stop 🙏', 'stop'], ['STOP por favor', 'stop'], ['stop now thanks', 'stop'], ['Quit it', 'stop'], ['QUIT', 'stop'], ['quit', 'stop'], ['END', 'stop'], ['end.', 'stop'], ['REVOKE', 'stop'], ['revoke', 'stop'],
  ['OPT OUT', 'stop'], ['opt out', 'stop'], ['opt-out', 'stop'], ['OPTOUT', 'stop'], ['Opt Out.', 'stop'], ['CANCEL', 'stop'],
  ['cancel', 'stop'], ['Cancel!', 'stop'], ['UNSUBSCRIBE', 'stop'], ['unsubscribe', 'stop'], ['Unsubscribe.', 'stop'], ['STOPALL', 'stop'],
  ['STOP ALL', 'stop'], ['stop all', 'stop'], ['Stop All.', 'stop'], ['unsub', 'stop'], ['STOP STOP', 'stop'], ['stop stop stop', 'stop'],
  // Short requests.
  ['stop please', 'stop'], ['Please stop', 'stop'], ['please stop.', 'stop'], ['stop it', 'stop'], ['STOP NOW', 'stop'],
  ['stop texting me', 'stop'], ['Stop texting me!', 'stop'], ['stop sending me texts', 'stop'], ['stop messaging me', 'stop'],
  ['Unsubscribe me', 'stop'], ['unsubscribe me please', 'stop'], ['please unsubscribe', 'stop'], ['please unsubscribe me', 'stop'],
  ['remove me', 'stop'], ['Remove me.', 'stop'], ['please remove me', 'stop'], ['Please remove me from this list', 'stop'],
  ['remove me from your list', 'stop'], ['take me off your list', 'stop'], ['Take me off this list', 'stop'], ['remove my number', 'stop'],
  ["don't text me", 'stop'], ['dont text me', 'stop'], ['Do not text me', 'stop'], ["don't text me anymore", 'stop'], ['do not contact me', 'stop'],
  ['no more texts', 'stop'], ['No more messages', 'stop'], ['leave me alone', 'stop'], ['Leave me alone!', 'stop'],
  ['wrong number', 'stop'], ['Wrong number.', 'stop'], ['WRONG NUMBER', 'stop'], ['you have the wrong number', 'stop'], ['wrong person', 'stop'],
  // Spanish and French.
  ['ALTO', 'stop'], ['alto', 'stop'], ['Parar', 'stop'], ['para', 'stop'], ['BASTA', 'stop'], ['basta!', 'stop'], ['no más', 'stop'],
  ['No mas', 'stop'], ['cancelar', 'stop'], ['CANCELAR', 'stop'], ['no más mensajes', 'stop'], ['arrêt', 'stop'], ['ARRÊT', 'stop'], ['arret', 'stop'],
  // Misspellings.
  ['stp', 'stop'], ['STPO', 'stop'], ['sotp', 'stop'], ['stopp', 'stop'], ['stoop', 'stop'], ['unsubscibe', 'stop'], ['unsubcribe', 'stop'],
  ['unsuscribe', 'stop'], ['cancle', 'stop'], ['cansel', 'stop'], ['cancell', 'stop'], ['unsubscrive', 'stop'], ['revok', 'stop'],
  // Start.
  ['START', 'start'], ['start', 'start'], ['Start.', 'start'], ['UNSTOP', 'start'], ['unstop', 'start'], ['RESUME', 'start'], ['resume', 'start'],
  ['subscribe', 'start'],
  // Help.
  ['HELP', 'help'], ['help', 'help'], ['Help?', 'help'], ['help!', 'help'], ['INFO', 'help'], ['info', 'help'], ['AYUDA', 'help'], ['ayuda', 'help'],
  ['aide', 'help'], ['help me', 'help'],
  // Yes and no.
  ['YES', 'yes'], ['yes', 'yes'], ['Yes!', 'yes'], ['y', 'yes'], ['Y', 'yes'], ['yeah', 'yes'], ['yep', 'yes'], ['ok', 'yes'], ['OK', 'yes'],
  ['okay', 'yes'], ['sure', 'yes'], ['Sure!', 'yes'], ['confirm', 'yes'], ['CONFIRM', 'yes'], ['si', 'yes'], ['Sí', 'yes'], ['yes please', 'yes'],
  ['NO', 'no'], ['no', 'no'], ['No.', 'no'], ['n', 'no'], ['N', 'no'], ['nope', 'no'], ['nah', 'no'], ['no thanks', 'no'], ['No thank you', 'no'],
  // Ordinary prose with a stop word: never a false opt-out, but worth one clarifying question.
  ["I'll stop by at 3", 'other', true], ["don't stop the reminders", 'other', true], ['can you stop by tomorrow', 'other', true],
  ['Is the end of the month ok?', 'other', true], ['I want to quit smoking', 'other', true], ['my appointment ends at 4', 'other', false],
  ['I need to cancel my appointment', 'other', true], ['the bus stop on Main St', 'other', true], ['end of day works', 'other', true],
  ['Can I cancel and rebook?', 'other', true],
  // Ordinary replies and words typo tolerance must not turn into stop.
  ['step', 'other'], ['shop', 'other'], ['spot', 'other'], ['send', 'other'], ['and', 'other'], ['top', 'other'], ['stops', 'other'], ['post', 'other'],
  ['C', 'other'], ['X', 'other'], ['12345', 'other'], ['thanks', 'other'], ['Thank you!', 'other'], ['See you then', 'other'], ['What time?', 'other'],
  ['who is this?', 'other'], ['hello', 'other'], ['', 'other'], ['   ', 'other'], ['🙂', 'other'], ['maybe', 'other'], ['later', 'other'],
  ['call me', 'other'], ['I paid already', 'other'], ['How much do I owe?', 'other'],
];

describe('classifyReply', () => {
  it('has a table of at least 150 replies', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(150);
  });

  it.each(TABLE)('classifies %j as %s', (text, intent, ambiguous = false) => {
    expect(classifyReply(text)).toEqual({ intent, ambiguous });
  });

  it('never throws and is insensitive to case, surrounding spaces and punctuation of keyword replies', () => {
    const keyword = fc.constantFrom('stop', 'quit', 'unsubscribe', 'help', 'start', 'yes', 'no', 'opt out', 'alto');
    const dress = fc.record({ upper: fc.boolean(), before: fc.constantFrom('', ' ', '  ', '"'), after: fc.constantFrom('', '.', '!', ' ', '!!', '?') });
    fc.assert(
      fc.property(keyword, dress, (word, d) => {
        const text = `${d.before}${d.upper ? word.toUpperCase() : word}${d.after}`;
        expect(classifyReply(text)).toEqual(classifyReply(word));
      }),
    );
    fc.assert(fc.property(fc.string(), (text) => void classifyReply(text)));
  });
});
