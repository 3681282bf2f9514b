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
  const septets = gsmSeptets(body);
  if (septets !== null) return { encoding: 'GSM-7', segments: gsmSegments(septets), characters: septets.length, ucs2Characters: [] };
  let count = ucs2Cache.get(body);
  if (!count) {
    const message = new SegmentedMessage(body);
    const encoding = message.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7';
    count = {
      encoding,
      segments: message.segmentsCount,
      characters: message.numberOfCharacters,
      ucs2Characters: encoding === 'UCS-2' ? [...new Set(message.getNonGsmCharacters())] : [],
    };
    if (ucs2Cache.size >= 2_000) ucs2Cache.clear();
    ucs2Cache.set(body, count);
  }
  return { ...count, ucs2Characters: [...count.ucs2Characters] };
}

// The library is exact but slow (~0.25 ms a text); texts that need it are kept.
const ucs2Cache = new Map<string, SegmentCount>();

// GSM 03.38: the basic character set (one septet) and the extension table (escape + one septet).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

/** The septets each character takes in GSM-7, or null when a character needs UCS-2. */
function gsmSeptets(text: string): number[] | null {
  const out: number[] = [];
  for (const ch of text) {
    if (GSM_BASIC.has(ch)) out.push(1);
    else if (GSM_EXTENSION.has(ch)) out.push(2);
    else return null;
  }
  return out;
}

/** 160 septets in one segment; 153 a segment once concatenated, never splitting an escaped character. */
function gsmSegments(septets: readonly number[]): number {
  const total = septets.reduce((a, b) => a + b, 0);
  if (total <= 160) return 1;
  let segments = 1;
  let used = 0;
  for (const w of septets) {
    if (used + w > 153) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return segments;
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
    parts.push(
      `it uses ${chars}, which switch the whole text to UCS-2 (70 characters a segment instead of 160); replace ${count.ucs2Characters.length === 1 ? 'it' : 'them'} with plain characters if you can`,
    );
  }
  if (count.segments > MAX_SEGMENTS)
    parts.push(`it is ${count.segments} segments long (more than ${MAX_SEGMENTS}); each segment is billed and long texts may arrive split`);
  if (parts.length === 0) return null;
  return {
    message: `This text is ${count.segments} segment${count.segments === 1 ? '' : 's'} (${count.encoding}, ${count.characters} characters): ${parts.join('; ')}.`,
  };
}
