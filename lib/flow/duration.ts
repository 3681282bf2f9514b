/**
 * ISO 8601 durations as used by flows (`PT30M`, `PT2H`, `P3D`, `P1W`).
 * A duration is elapsed time: `P1D` is 24 hours, so across a daylight-saving
 * change the wall clock moves by 23 or 25 hours (COMPLIANCE.md, "Time zones").
 * Months and years are refused: their length depends on the calendar.
 */
export const DURATION_PATTERN = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

const MINUTE = 60_000;

/** Milliseconds of an ISO 8601 duration, or null when the text is not one. */
export function parseDuration(text: string): number | null {
  const m = DURATION_PATTERN.exec(text);
  if (!m) return null;
  const [, w, d, h, min, s] = m;
  return (((num(w) * 7 + num(d)) * 24 + num(h)) * 60 + num(min)) * MINUTE + num(s) * 1000;
}

// A module function, not a closure made on every call: the analyzer parses a duration per edge.
function num(v: string | undefined): number {
  return v === undefined ? 0 : Number(v);
}

/** The duration in minutes; throws on text the schema should have refused. */
export function durationMinutes(text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new Error(`not a duration: ${text}`);
  return ms / MINUTE;
}

/** A short human phrase for a duration: "30 minutes", "2 hours", "3 days". */
export function describeDuration(text: string): string {
  const ms = parseDuration(text);
  if (ms === null) return text;
  const minutes = ms / MINUTE;
  const units: [number, string][] = [
    [7 * 24 * 60, 'week'],
    [24 * 60, 'day'],
    [60, 'hour'],
    [1, 'minute'],
  ];
  for (const [size, name] of units) {
    if (minutes >= size && minutes % size === 0) {
      const n = minutes / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}
