import { formatTimeOfDay } from '@/lib/flow/time-of-day';

/**
 * Sets of recipient-local times of day, as sorted, disjoint, non-touching
 * intervals of minutes after midnight, each `[from, to)` with
 * `0 <= from < to <= 1440`. A span that crosses midnight is stored as two
 * pieces (`[1320, 1440)` and `[0, 60)`). Operations never return more than
 * `MAX_INTERVALS` pieces: beyond that the closest pieces are merged, which
 * only ever adds times (an over-approximation keeps the analysis sound and
 * its cost flat).
 */
export interface TimeInterval {
  readonly from: number;
  readonly to: number;
}

export type TimeSet = readonly TimeInterval[];

export const DAY_MINUTES = 24 * 60;
export const MAX_INTERVALS = 8;
export const ALL_DAY: TimeSet = [{ from: 0, to: DAY_MINUTES }];
export const NO_TIME: TimeSet = [];

/** Pushes `[from, to)` onto `out`, split at midnight; `from` may lie a day either side of [0, 1440). */
function pushPiece(out: TimeInterval[], from: number, to: number): void {
  if (to - from >= DAY_MINUTES) {
    out.push({ from: 0, to: DAY_MINUTES });
    return;
  }
  const start = ((from % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  const end = start + (to - from);
  if (end <= DAY_MINUTES) out.push({ from: start, to: end });
  else {
    out.push({ from: start, to: DAY_MINUTES });
    out.push({ from: 0, to: end - DAY_MINUTES });
  }
}

/** Sorts, merges overlapping or touching pieces and caps the count. */
function normalize(pieces: TimeInterval[]): TimeSet {
  if (pieces.length === 0) return NO_TIME;
  pieces.sort((a, b) => a.from - b.from);
  const out: TimeInterval[] = [];
  let cur = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.from <= cur.to) {
      if (p.to > cur.to) cur = { from: cur.from, to: p.to };
    } else {
      out.push(cur);
      cur = p;
    }
  }
  out.push(cur);
  if (out.length === 1 && out[0]!.from === 0 && out[0]!.to === DAY_MINUTES) return ALL_DAY;
  return capIntervals(out);
}

/** Merges the two pieces with the smallest gap until at most MAX_INTERVALS remain. */
function capIntervals(list: TimeInterval[]): TimeSet {
  while (list.length > MAX_INTERVALS) {
    let best = 0;
    for (let i = 1; i < list.length - 1; i++) {
      if (list[i + 1]!.from - list[i]!.to < list[best + 1]!.from - list[best]!.to) best = i;
    }
    list.splice(best, 2, { from: list[best]!.from, to: list[best + 1]!.to });
  }
  return list;
}

/** The local times from `from` up to (not including) `to`; `from > to` wraps past midnight, `from === to` is the whole day. */
export function timeWindow(from: number, to: number): TimeSet {
  if (from === to) return ALL_DAY;
  const out: TimeInterval[] = [];
  pushPiece(out, from, from < to ? to : to + DAY_MINUTES);
  return normalize(out);
}

export function isAllDay(set: TimeSet): boolean {
  return set.length === 1 && set[0]!.from === 0 && set[0]!.to === DAY_MINUTES;
}

export function union(a: TimeSet, b: TimeSet): TimeSet {
  if (a.length === 0 || isAllDay(b)) return b;
  if (b.length === 0 || isAllDay(a)) return a;
  return normalize([...a, ...b]);
}

export function intersect(a: TimeSet, b: TimeSet): TimeSet {
  if (isAllDay(a)) return b;
  if (isAllDay(b)) return a;
  const out: TimeInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const from = Math.max(x.from, y.from);
    const to = Math.min(x.to, y.to);
    if (from < to) out.push({ from, to });
    if (x.to < y.to) i++;
    else j++;
  }
  return out.length === 0 ? NO_TIME : out;
}

/** The times of `a` that are not in `b`. */
export function minus(a: TimeSet, b: TimeSet): TimeSet {
  const complement: TimeInterval[] = [];
  let at = 0;
  for (const p of b) {
    if (p.from > at) complement.push({ from: at, to: p.from });
    at = p.to;
  }
  if (at < DAY_MINUTES) complement.push({ from: at, to: DAY_MINUTES });
  return intersect(a, complement.length === 0 ? NO_TIME : complement);
}

/** Every time moved later by `minutes` on the 24-hour circle. A fractional shift rounds outward. */
export function shift(set: TimeSet, minutes: number): TimeSet {
  if (set.length === 0 || isAllDay(set)) return set;
  const lo = Math.floor(minutes);
  const hi = Math.ceil(minutes);
  const out: TimeInterval[] = [];
  for (const p of set) pushPiece(out, p.from + lo, p.to + hi);
  return normalize(out);
}

/** Every piece extended by `minutes` on both sides. */
export function widen(set: TimeSet, minutes: number): TimeSet {
  if (set.length === 0 || isAllDay(set) || minutes <= 0) return set;
  const out: TimeInterval[] = [];
  for (const p of set) pushPiece(out, p.from - minutes, p.to + minutes);
  return normalize(out);
}

/**
 * US zones change clock at 02:00 local (spring: 02:00 → 03:00; fall: 02:00
 * → 01:00), so while a wait runs the wall clock, read in the offset it
 * started in, reaches the change exactly when it passes 02:00. The band
 * 01:00–03:00 contains that instant however it is read (03:00 just after
 * spring-forward, 01:00 just after fall-back), so a wait whose span misses the
 * band cannot contain a change. Within 24 hours there is at most one change,
 * and across any number of changes the offsets of the start and the end
 * differ by at most an hour: widening by an hour either way is always enough.
 */
const DST_BAND_FROM = 60;
const DST_BAND_TO = 180;
export const DST_SHIFT_MINUTES = 60;

/** Whether a wait of `minutes` started at some time in `[from, to)` can span a daylight-saving change. */
export function canSpanDstChange(from: number, to: number, minutes: number): boolean {
  if (minutes >= DAY_MINUTES) return true;
  const end = to + minutes;
  for (const base of [0, DAY_MINUTES]) {
    if (from <= base + DST_BAND_TO && end > base + DST_BAND_FROM) return true;
  }
  return false;
}

/**
 * The local times after `minutes` of elapsed time (a wait, a timeout) from
 * any time in `set`: shifted, and widened by an hour wherever the wait can
 * span a daylight-saving change (COMPLIANCE.md, "Time zones").
 */
export function elapse(set: TimeSet, minutes: number): TimeSet {
  if (set.length === 0 || isAllDay(set)) return set;
  const lo = Math.floor(minutes);
  const hi = Math.ceil(minutes);
  const out: TimeInterval[] = [];
  for (const p of set) {
    if (canSpanDstChange(p.from, p.to, minutes)) pushPiece(out, p.from + lo - DST_SHIFT_MINUTES, p.to + hi + DST_SHIFT_MINUTES);
    else pushPiece(out, p.from + lo, p.to + hi);
  }
  return normalize(out);
}

/** Whether every time of `a` is in `b`. */
export function isSubset(a: TimeSet, b: TimeSet): boolean {
  let j = 0;
  for (const p of a) {
    while (j < b.length && b[j]!.to <= p.from) j++;
    const q = b[j];
    if (!q || q.from > p.from || q.to < p.to) return false;
  }
  return true;
}

/** Whether the minute `m` (0–1439, fractions allowed) is in the set. */
export function contains(set: TimeSet, m: number): boolean {
  return set.some((p) => p.from <= m && m < p.to);
}

export function timeSetsEqual(a: TimeSet, b: TimeSet): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.from !== b[i]!.from || a[i]!.to !== b[i]!.to) return false;
  }
  return true;
}

/** "07:00–07:15, 22:00–24:00" (a piece ending at midnight reads 24:00); "any time" for the whole day. */
export function formatTimeSet(set: TimeSet): string {
  if (isAllDay(set)) return 'any time';
  if (set.length === 0) return 'no time';
  return set.map((p) => `${formatTimeOfDay(p.from)}–${p.to === DAY_MINUTES ? '24:00' : formatTimeOfDay(p.to)}`).join(', ');
}
