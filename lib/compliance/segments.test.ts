import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { countSegments, segmentWarning } from './segments';

describe('countSegments', () => {
  it('counts a plain text as one GSM-7 segment', () => {
    expect(countSegments('Acme Dental: your appointment is tomorrow at 3pm.')).toEqual({
      encoding: 'GSM-7',
      segments: 1,
      characters: 49,
      ucs2Characters: [],
    });
  });

  it('splits GSM-7 texts over 160 characters into 153-character segments', () => {
    expect(countSegments('a'.repeat(160)).segments).toBe(1);
    expect(countSegments('a'.repeat(161)).segments).toBe(2);
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('names the characters that force UCS-2', () => {
    const count = countSegments('It’s “ready” 😀 ’');
    expect(count.encoding).toBe('UCS-2');
    expect(count.ucs2Characters).toEqual(['’', '“', '”', '😀']);
  });

  it('counts UCS-2 texts at 70 characters a segment', () => {
    expect(countSegments(`“${'a'.repeat(68)}”`).segments).toBe(1);
    expect(countSegments(`“${'a'.repeat(69)}”`).segments).toBe(2);
  });
});

describe('the fast path for plain GSM-7 text', () => {
  it('agrees with the library on any text', () => {
    const gsmish = fc.string({ unit: fc.constantFrom(...'abcXYZ 0123.,!?@£$éÄ\n{}[]€~^|“”’😀'.split('')), maxLength: 400 });
    fc.assert(
      fc.property(fc.oneof(gsmish, fc.string({ maxLength: 200 })), (text) => {
        const lib = new SegmentedMessage(text);
        const ours = countSegments(text);
        return ours.segments === lib.segmentsCount && ours.encoding === (lib.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7');
      }),
      { numRuns: 300 },
    );
  });
});

describe('segmentWarning', () => {
  it('says nothing about a short plain text', () => {
    expect(segmentWarning('Reply C to confirm.')).toBeNull();
  });

  it('warns about curly quotes and emoji, naming them', () => {
    expect(segmentWarning('We’re ready 😀')?.message).toBe(
      'This text is 1 segment (UCS-2, 13 characters): it uses “’” “😀”, which switch the whole text to UCS-2 (70 characters a segment instead of 160); replace them with plain characters if you can.',
    );
  });

  it('warns about texts over three segments', () => {
    expect(segmentWarning('a'.repeat(500))?.message).toBe(
      'This text is 4 segments (GSM-7, 500 characters): it is 4 segments long (more than 3); each segment is billed and long texts may arrive split.',
    );
  });
});
