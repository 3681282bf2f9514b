/**
 * How a Branch (`split`) case matches a text (FLOW_FORMAT.md, `split`), shared
 * by the compiled machine's guard and the analyzer's branch-case rules.
 */

/** A split value as cases compare it: trimmed and lower-case. */
export function normalizeSplitValue(text: string): string {
  return text.trim().toLowerCase();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `phrase` occurs in `text` with no letter or digit right before or after it. */
function containsPhrase(text: string, phrase: string): boolean {
  if (phrase.length === 0) return false;
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    const before = at === 0 ? '' : text[at - 1]!;
    const after = text[at + phrase.length] ?? '';
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

/**
 * A split case's test (FLOW_FORMAT.md, `split`): trimmed and case-insensitive;
 * `equals` is the whole text, `contains` a whole word or phrase inside it.
 */
export function matchesSplitCase(value: string, c: { equals?: readonly string[]; contains?: readonly string[] }): boolean {
  const text = normalizeSplitValue(value);
  if (c.equals?.some((e) => normalizeSplitValue(e) === text)) return true;
  return c.contains?.some((p) => containsPhrase(text, normalizeSplitValue(p))) ?? false;
}
