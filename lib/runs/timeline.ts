import type { RunEventRow, RunMessageRow, RunMove, RunPaymentRow, RunVerificationRow } from '@/lib/db/run-queries';

/**
 * A run's timeline for the inspector: its inbox events, its moves from node
 * to node, its texts (with every delivery status and the guard's decisions),
 * its payment links and identity checks, in time order. Pure: the parts come
 * from run-queries.ts. What is shown is what is stored: texts with their
 * secrets masked, no payment token, no verification code or answer.
 */

export type TimelineItem =
  | { kind: 'event'; at: string; source: RunEventRow['kind']; event: string; detail: string | null; outcome: string; receivedAt: string }
  | { kind: 'move'; at: string; step: number; from: string | null; to: string; event: string }
  | {
      kind: 'message';
      at: string;
      direction: 'inbound' | 'outbound';
      purpose: 'informational' | 'marketing' | null;
      body: string;
      status: string;
      error: string | null;
      statuses: { status: string; at: string; error: string | null }[];
      guard: { deferred: { until: string; reason: string; at: string }[]; blocked: string | null };
    }
  | { kind: 'deferral'; at: string; until: string; reason: string }
  | ({ kind: 'payment'; at: string; expiresAt: string; paidAt: string | null } & Omit<
      RunPaymentRow,
      'id' | 'nodeId' | 'createdAt' | 'expiresAt' | 'paidAt'
    >)
  | { kind: 'verification'; at: string; method: RunVerificationRow['method']; status: string; attemptsLeft: number };

export interface TimelineParts {
  events: readonly RunEventRow[];
  moves: readonly RunMove[];
  messages: readonly RunMessageRow[];
  deferrals: readonly { effectId: string; until: Date; reason: string; at: Date }[];
  payments: readonly RunPaymentRow[];
  verifications: readonly RunVerificationRow[];
}

// At the same instant: an event first, then the moves it caused, then what those moves did.
const RANK: Record<TimelineItem['kind'], number> = { event: 0, move: 1, deferral: 2, verification: 3, payment: 3, message: 4 };

/**
 * Where an item goes among those of the same instant. An identity check is
 * shown when it was decided, right after the event that decided it; one still
 * waiting is shown with its question, after it (never before the question it
 * asks).
 */
function rankOf(item: TimelineItem): number {
  if (item.kind !== 'verification') return RANK[item.kind];
  return item.status === 'pending' ? RANK.message + 1 : RANK.event + 0.5;
}

/** A short, safe description of an inbox event: a reply's text, a failure's reason, a payment's amount. */
function detailOf(event: RunEventRow['event']): string | null {
  if (event.type === 'reply' && typeof event.text === 'string') return event.text;
  if (typeof event.reason === 'string') return event.reason;
  if (event.type === 'payment.paid' && typeof event.amount === 'number') return String(event.amount);
  return null;
}

/** The timeline, oldest first (ties keep the order of cause and effect). */
export function buildTimeline(parts: TimelineParts): TimelineItem[] {
  const iso = (d: Date) => d.toISOString();
  const byEffect = new Map<string, { until: string; reason: string; at: string }[]>();
  for (const d of parts.deferrals) {
    const list = byEffect.get(d.effectId) ?? [];
    list.push({ until: iso(d.until), reason: d.reason, at: iso(d.at) });
    byEffect.set(d.effectId, list);
  }
  const sent = new Set(parts.messages.map((m) => m.effectId).filter((id): id is string => id !== null));
  const items: TimelineItem[] = [
    ...parts.events.map((e): TimelineItem => ({
      kind: 'event',
      at: iso(e.at),
      source: e.kind,
      event: e.event.type ?? 'unknown',
      detail: detailOf(e.event),
      outcome: e.outcome ?? 'waiting',
      receivedAt: iso(e.receivedAt),
    })),
    // A step that stayed in its node is no move to show (its event is).
    ...parts.moves
      .filter((m) => m.from !== m.to)
      .map((m): TimelineItem => ({ kind: 'move', at: iso(m.at), step: m.step, from: m.from, to: m.to, event: m.event })),
    ...parts.messages.map((m): TimelineItem => ({
      kind: 'message',
      at: iso(m.createdAt),
      direction: m.direction,
      purpose: m.purpose,
      body: m.body,
      status: m.status,
      error: m.error,
      statuses: m.history.map((h) => ({ status: h.status, at: iso(h.at), error: h.error })),
      guard: { deferred: (m.effectId && byEffect.get(m.effectId)) || [], blocked: m.status === 'blocked' ? m.error : null },
    })),
    // A send still held back has no message yet: its deferral stands on its own.
    ...parts.deferrals
      .filter((d) => !sent.has(d.effectId))
      .map((d): TimelineItem => ({ kind: 'deferral', at: iso(d.at), until: iso(d.until), reason: d.reason })),
    ...parts.payments.map((p): TimelineItem => ({
      kind: 'payment',
      at: iso(p.createdAt),
      status: p.status,
      amountMinor: p.amountMinor,
      currency: p.currency,
      description: p.description,
      failureReason: p.failureReason,
      cardChecks: p.cardChecks,
      expiresAt: iso(p.expiresAt),
      paidAt: p.paidAt ? iso(p.paidAt) : null,
    })),
    ...parts.verifications.map((v): TimelineItem => ({
      kind: 'verification',
      at: iso(v.decidedAt ?? v.at),
      method: v.method,
      status: v.status,
      attemptsLeft: v.attemptsLeft,
    })),
  ];
  // A stable sort: within one kind and instant, the query's order stands.
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.at.localeCompare(b.item.at) || rankOf(a.item) - rankOf(b.item) || a.index - b.index)
    .map(({ item }) => item);
}
