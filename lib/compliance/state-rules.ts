/**
 * State rules for marketing texts (COMPLIANCE.md, "State rules"): local
 * windows by kind of day, and caps. `null` means no marketing that day. A
 * window is [from, to) in minutes after local midnight. Where the source is
 * "state guides, 2025" the figure follows the published compliance guides
 * and should be confirmed against the statute before a release relies on it.
 */

export type Window = readonly [from: number, to: number] | null;

export interface StateRule {
  state: string;
  weekday: Window;
  saturday: Window;
  sunday: Window;
  /** The window on the state's legal holidays (it overrides the weekday's). */
  holiday: Window;
  /** At most this many marketing texts in 24 hours on the same subject. */
  cap?: number;
  /** Mississippi states its hours in Central Standard Time (see `windowOn`). */
  centralStandardTime?: boolean;
  source: string;
}

const h = (from: number, to: number): Window => [from * 60, to * 60];

export const STATE_RULES: readonly StateRule[] = [
  { state: 'AL', weekday: h(8, 20), saturday: h(8, 20), sunday: null, holiday: null, source: 'Ala. Admin. Code r. 770-X-5-.17(1)(b)' },
  { state: 'CT', weekday: h(9, 20), saturday: h(9, 20), sunday: h(9, 20), holiday: h(9, 20), source: 'Conn. Gen. Stat. § 42-288a (2023)' },
  {
    state: 'FL',
    weekday: h(8, 20),
    saturday: h(8, 20),
    sunday: h(8, 20),
    holiday: h(8, 20),
    cap: 3,
    source: 'Fla. Stat. § 501.059, § 501.616',
  },
  // KRS 367.461 reads 08–21 for automated calls; the stricter guide figure is kept until confirmed.
  { state: 'KY', weekday: h(10, 21), saturday: h(10, 21), sunday: h(10, 21), holiday: h(10, 21), source: 'state guides, 2025' },
  { state: 'LA', weekday: h(8, 20), saturday: h(8, 20), sunday: null, holiday: null, source: 'La. R.S. 45:844.11 et seq.' },
  {
    state: 'MD',
    weekday: h(8, 20),
    saturday: h(8, 20),
    sunday: h(8, 20),
    holiday: h(8, 20),
    cap: 3,
    source: 'Md. Com. Law § 14-4502 (2024)',
  },
  { state: 'MA', weekday: h(8, 20), saturday: h(8, 20), sunday: h(8, 20), holiday: h(8, 20), source: '201 CMR 12.02(2)' },
  { state: 'MI', weekday: h(9, 21), saturday: h(9, 21), sunday: h(9, 21), holiday: h(9, 21), source: 'state guides, 2025' },
  { state: 'MN', weekday: h(9, 21), saturday: h(9, 21), sunday: h(9, 21), holiday: h(9, 21), source: 'state guides, 2025' },
  {
    state: 'MS',
    weekday: h(8, 20),
    saturday: h(8, 20),
    sunday: null,
    holiday: h(8, 20),
    centralStandardTime: true,
    source: 'Miss. Code § 77-3-723',
  },
  { state: 'NV', weekday: h(9, 20), saturday: h(9, 20), sunday: h(9, 20), holiday: h(9, 20), source: 'state guides, 2025' },
  { state: 'NJ', weekday: h(8, 21), saturday: h(8, 21), sunday: h(8, 21), holiday: h(8, 21), source: 'N.J.S.A. 56:8-128(d)' },
  { state: 'NM', weekday: h(9, 21), saturday: h(9, 21), sunday: h(9, 21), holiday: h(9, 21), source: 'NMSA § 57-12-22(B)(5)' },
  {
    state: 'OK',
    weekday: h(8, 20),
    saturday: h(8, 20),
    sunday: h(8, 20),
    holiday: h(8, 20),
    cap: 3,
    source: 'Okla. Stat. tit. 15, § 775C.4',
  },
  { state: 'PA', weekday: h(8, 21), saturday: h(8, 21), sunday: h(8, 21), holiday: null, source: '73 P.S. § 2245(a)(1), (a)(10)' },
  { state: 'RI', weekday: h(9, 18), saturday: h(10, 17), sunday: null, holiday: null, source: 'R.I. Gen. Laws § 5-61-3.6' },
  { state: 'SD', weekday: h(9, 21), saturday: null, sunday: null, holiday: h(9, 21), source: 'SDCL 37-30-28' },
  {
    state: 'TX',
    weekday: h(9, 21),
    saturday: h(9, 21),
    sunday: h(12, 21),
    holiday: h(9, 21),
    source: 'Tex. Bus. & Com. Code § 301.051 (SB 140, 2025)',
  },
  { state: 'UT', weekday: h(8, 21), saturday: h(8, 21), sunday: null, holiday: null, source: 'Utah Code § 13-25a-103(3)' },
  { state: 'WA', weekday: h(8, 20), saturday: h(8, 20), sunday: h(8, 20), holiday: h(8, 20), source: 'RCW 80.36.390' },
];

const BY_STATE = new Map(STATE_RULES.map((r) => [r.state, r]));

/** The state's marketing rule, or undefined where only the federal rule applies. */
export function stateRule(state: string): StateRule | undefined {
  return BY_STATE.get(state);
}

/** The federal daily cap does not exist; states that cap marketing texts per 24 hours (FL, MD, OK). */
export function capOf(state: string): number | undefined {
  return BY_STATE.get(state)?.cap;
}

/** Unknown state: the strictest cap of any state (COMPLIANCE.md, "Frequency"). */
export const STRICTEST_CAP = Math.min(...STATE_RULES.flatMap((r) => (r.cap ? [r.cap] : [])));
