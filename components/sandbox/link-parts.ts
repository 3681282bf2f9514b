/** A text cut into plain runs and web links, for a phone that makes links tappable. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; href: string };

// A URL runs to the next space; closing punctuation after it is the sentence's, not the link's.
const URL_PATTERN = /https?:\/\/[^\s]+/g;
const TRAILING = /[.,;:!?)\]'"]+$/;

/** The parts of a text: every http(s) link whole, the rest as it is (a masked link, with "…", stays text: it opens nothing). */
export function linkParts(body: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of body.matchAll(URL_PATTERN)) {
    const href = match[0].replace(TRAILING, '');
    if (href.includes('…')) continue;
    const at = match.index;
    if (at > from) parts.push({ kind: 'text', text: body.slice(from, at) });
    parts.push({ kind: 'link', href });
    from = at + href.length;
  }
  if (from < body.length) parts.push({ kind: 'text', text: body.slice(from) });
  return parts;
}
