import type pg from 'pg';
import { localTimeParts } from '@/lib/compliance/local-time';
import { resolveZones } from '@/lib/compliance/zones';
import type { SendRule } from '@/lib/compliance/evaluate-send';
import type { ContactKeys } from '@/lib/db/contact-repository';
import { readAudiencePage, type AudienceReading } from '@/lib/db/effect-context';
import type { SegmentFilter } from '@/lib/db/segment-repository';
import type { CampaignSchedule } from '@/lib/db/campaign-repository';
import type { FlowMachine } from '@/lib/flow/compile';
import { varsOf } from '@/lib/runtime/campaign-variables';
import { GUARD_WINDOW_MS, guardReadings } from '@/lib/runtime/effects/send-text';
import { decideSend } from '@/lib/runtime/interpret/outbound';
import { scheduledStart } from '@/lib/runtime/schedule';
import { firstTextOf, type FirstText } from './first-text';

/**
 * The pre-flight compliance preview: for every contact of an audience, what
 * the runtime would do with the flow's first text at the planned moment —
 * send, hold until when (in their zone), or block and why — decided by the
 * engine's own guard (`decideSend` over `evaluateSend`, with the readings
 * `guardReadings` takes from the database) on the text the interpreter
 * reaches first. The audience is walked in id order in batches, each one
 * statement for its contacts with their guard readings (`readAudiencePage`),
 * the next read while this one is decided, so memory stays bounded whatever
 * its size.
 */

/** Contacts read per batch. */
export const PREVIEW_BATCH = 5000;

// First texts kept for contacts alike: an audience whose variables differ contact by contact would otherwise keep one per contact.
const FIRST_TEXTS_KEPT = 10_000;

/** The outcome of one contact's first text. */
export type ContactOutcome =
  | { contactId: string; verdict: 'send'; at: Date; zone: string }
  | { contactId: string; verdict: 'hold'; until: Date; zone: string; reason: string }
  | { contactId: string; verdict: 'block'; rule: SendRule | 'flow'; reason: string };

/** The preview's summary, stored with the campaign and shown before launch. */
export interface PreviewSummary {
  /** The moment previewed (launch now), or the schedule's date and time in each contact's zone. */
  plannedFor: string;
  total: number;
  send: number;
  hold: number;
  block: number;
  /** Blocked contacts by rule, with one of the guard's sentences for each. */
  blockedBy: { rule: string; count: number; example: string }[];
  /** When first texts go (sent or held until), by zone and local hour. */
  histogram: { zone: string; localTime: string; count: number }[];
  /** Run variables whose attribute some contacts lack, with how many lack it. */
  missingVariables: { variable: string; attribute: string; contacts: number }[];
}

/** What the preview needs of the campaign: its machine (compiled, approved), audience filter, schedule and variables. */
export interface PreviewInput {
  machine: FlowMachine;
  /** The flow's verdict: null when its version may start runs, else why not (every contact is then blocked by it). */
  refusal: string | null;
  filter: SegmentFilter;
  schedule: CampaignSchedule;
  variables: Record<string, string>;
  now: Date;
}

/** When a contact's run starts under the schedule (null with why when it cannot). */
export function plannedStart(schedule: CampaignSchedule, now: Date, zones: readonly string[]): Date | string {
  if (schedule.kind === 'now') return now;
  const at = scheduledStart({ at: schedule.at }, schedule.date, zones);
  // A time already past where the contact is: the run starts at once (as the enrolment does).
  return typeof at === 'string' || at.getTime() > now.getTime() ? at : now;
}

/**
 * Walks the audience and decides every contact's first text; `onBatch`
 * receives each batch's outcomes (the caller stores the blocked ones).
 * Returns the summary.
 */
export async function previewAudience(
  pool: pg.Pool,
  keys: ContactKeys,
  input: PreviewInput,
  onBatch: (outcomes: ContactOutcome[]) => Promise<void>,
): Promise<Omit<PreviewSummary, 'missingVariables'>> {
  const counts = { total: 0, send: 0, hold: 0, block: 0 };
  const blockedBy = new Map<string, { count: number; example: string }>();
  const histogram = new Map<string, number>();
  // The first text depends on the contact only through consent, the start, their zones and their run variables: contacts alike share one walk.
  const firstTexts = new Map<string, FirstText>();
  const earliest = input.schedule.kind === 'now' ? input.now : new Date(Math.min(input.now.getTime(), Date.parse(input.schedule.date)));
  const since = new Date(earliest.getTime() - GUARD_WINDOW_MS - 36 * 3_600_000);
  const page = (afterId?: string) =>
    readAudiencePage(pool, keys, input.filter, { limit: PREVIEW_BATCH, ...(afterId ? { afterId } : {}) }, since);
  // The next page is read while this one is decided: the database and the guard work side by side.
  let next: ReturnType<typeof page> | undefined = page();
  while (next) {
    const readings: Awaited<ReturnType<typeof page>> = await next;
    next = readings.length === PREVIEW_BATCH ? page(readings.at(-1)!.contactId) : undefined;
    // Settled even if this batch throws (the caller then sees that error, not an unhandled rejection of the next).
    next?.catch(() => undefined);
    const outcomes: ContactOutcome[] = [];
    for (const r of readings) {
      const outcome = decideContact(input, r, firstTexts);
      outcomes.push(outcome);
      counts.total += 1;
      counts[outcome.verdict] += 1;
      if (outcome.verdict === 'block') {
        const b = blockedBy.get(outcome.rule) ?? { count: 0, example: outcome.reason };
        b.count += 1;
        blockedBy.set(outcome.rule, b);
      } else {
        const at = outcome.verdict === 'send' ? outcome.at : outcome.until;
        const local = localTimeParts(at, outcome.zone);
        const key = `${outcome.zone}|${String(local.hour).padStart(2, '0')}:00`;
        histogram.set(key, (histogram.get(key) ?? 0) + 1);
      }
    }
    await onBatch(outcomes);
    if (firstTexts.size > FIRST_TEXTS_KEPT) firstTexts.clear();
  }
  return {
    plannedFor:
      input.schedule.kind === 'now' ? input.now.toISOString() : `${input.schedule.date} ${input.schedule.at} in each contact's zone`,
    ...counts,
    blockedBy: [...blockedBy.entries()].map(([rule, b]) => ({ rule, ...b })).sort((a, b) => b.count - a.count),
    histogram: [...histogram.entries()]
      .map(([key, count]) => {
        const [zone, localTime] = key.split('|') as [string, string];
        return { zone, localTime, count };
      })
      .sort((a, b) => a.zone.localeCompare(b.zone) || a.localTime.localeCompare(b.localTime)),
  };
}

/** One contact's first text through the engine's guard. */
function decideContact(input: PreviewInput, r: AudienceReading, firstTexts: Map<string, FirstText>): ContactOutcome {
  const contactId = r.contactId;
  if (input.refusal) return { contactId, verdict: 'block', rule: 'flow', reason: input.refusal };
  const zones = resolveZones(r.location);
  const start = plannedStart(input.schedule, input.now, zones);
  if (typeof start === 'string') return { contactId, verdict: 'block', rule: 'flow', reason: start };
  const facts = guardReadings(r.guard);
  // The run's variables as the enrolment will give them: a flow may branch on them before its first text, or say them in it.
  const vars = varsOf(input, r.attributes);
  const key = `${facts.consent}|${start.getTime()}|${zones.join(',')}|${JSON.stringify(vars)}`;
  let first = firstTexts.get(key);
  if (!first) {
    first = firstTextOf(input.machine, { start, consent: facts.consent, contact: r.location, vars });
    firstTexts.set(key, first);
  }
  if ('none' in first) return { contactId, verdict: 'block', rule: first.rule, reason: first.none };
  const decision = decideSend(first.text, { ...facts, now: first.at, contact: r.location });
  const zone = decision.zones[0] ?? zones[0] ?? 'UTC';
  if (decision.verdict === 'allow') return { contactId, verdict: 'send', at: first.at, zone };
  if (decision.verdict === 'defer' && decision.until)
    return { contactId, verdict: 'hold', until: new Date(decision.until), zone, reason: decision.reason };
  return { contactId, verdict: 'block', rule: decision.rule, reason: decision.reason };
}
