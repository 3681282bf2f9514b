import { SegmentedMessage } from 'sms-segments-calculator';

/** How a text travels: GSM-7 (160 characters a segment) or UCS-2 (70), and in how many segments. */
export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  characters: number;
  /** The characters that forced UCS-2 (curly quotes, emoji, …), each once, so the editor can say which to replace. */
  ucs2Characters: string[];
}

/**
 * Counts SMS segments with a kept library (`sms-segments-calculator`, which
 * follows GSM 03.38 and the concatenation headers). Liquid tags count as
 * their literal text: the rendered text is usually no longer than
 * `{{contact.first_name}}`, so the count is a fair upper estimate.
 */
export function countSegments(body: string): SegmentCount {
  const message = new SegmentedMessage(body);
  const encoding = message.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7';
  return {
    encoding,
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
    ucs2Characters: encoding === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [],
  };
}

const MAX_SEGMENTS = 3;

/**
 * The segment warnings of COMPLIANCE.md ("Segments"): a body over 3 segments,
 * or one that switched to UCS-2 (70 characters a segment) because of curly
 * quotes or emoji. Null when neither applies.
 */
export function segmentWarning(body: string): { message: string } | null {
  const count = countSegments(body);
  const parts: string[] = [];
  if (count.encoding === 'UCS-2') {
    const chars = count.ucs2Characters.map((c) => `“${c}”`).join(' ');
    parts.push(`it uses ${chars}, which switch the whole text to UCS-2 (70 characters a segment instead of 160); replace ${count.ucs2Characters.length === 1 ? 'it' : 'them'} with plain characters if you can`);
  }
  if (count.segments > MAX_SEGMENTS) parts.push(`it is ${count.segments} segments long (more than ${MAX_SEGMENTS}); each segment is billed and long texts may arrive split`);
  if (parts.length === 0) return null;
  return { message: `This text is ${count.segments} segment${count.segments === 1 ? '' : 's'} (${count.encoding}, ${count.characters} characters): ${parts.join('; ')}.` };
}
