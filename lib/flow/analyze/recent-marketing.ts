import { DAY_MINUTES } from './time-set';

/**
 * The marketing texts a contact may have had in the last 24 hours, as the
 * least minutes elapsed since each, newest first, at most `MARKETING_CAP`
 * (texts 24 hours old or more drop out). Elapsed minutes are lower bounds:
 * a wait adds its duration, a reply or a held text adds nothing.
 */

/** COMPLIANCE.md, "Frequency": at most 3 marketing texts in any 24 hours (FL, MD, OK; unknown state). */
export const MARKETING_CAP = 3;
export const CAP_PERIOD_MINUTES = DAY_MINUTES;

export const NO_RECENT: readonly number[] = [];

/** Both paths' recent texts: the longer list, the fewer minutes at each position. */
export function joinRecent(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a === b || b.length === 0) return a;
  if (a.length === 0) return b;
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const out = long.slice();
  for (let i = 0; i < short.length; i++) out[i] = Math.min(out[i]!, short[i]!);
  return out;
}

/** Minutes pass: older texts move out of the 24-hour period. Fractions round down (the elapsed time is a lower bound). */
export function recentAfter(recent: readonly number[], minutes: number): readonly number[] {
  if (recent.length === 0 || minutes <= 0) return recent;
  const m = Math.floor(minutes);
  const out: number[] = [];
  for (const r of recent) if (r + m < CAP_PERIOD_MINUTES) out.push(r + m);
  return out.length === 0 ? NO_RECENT : out;
}

/** A marketing text goes out now. */
export function recentWithSend(recent: readonly number[]): readonly number[] {
  return [0, ...recent.slice(0, MARKETING_CAP - 1)];
}

export function recentEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
