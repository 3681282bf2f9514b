import { policyWindow } from '@/lib/compliance/policy-window';
import { isSendingNode, isSendNow, purposeOf } from '@/lib/flow/catalog';
import { formatTimeSet, isSubset, minus, timeWindow } from '@/lib/flow/analyze/time-set';
import { nodeName, type EdgeRule } from './edge-rule';

/**
 * `quiet-hours`: a text set to send at once (`outsideHours: "send"`) must be
 * reached, unless it answers the contact, only at local times inside its
 * purpose's window under the flow's policy. Held texts are always fine: the
 * runtime holds them until the window opens.
 */
export const quietHoursRule: EdgeRule = {
  rule: 'quiet-hours',
  appliesTo: (node) => isSendingNode(node) && isSendNow(node),
  check(node, facts, ctx) {
    if (!isSendingNode(node) || !isSendNow(node) || facts.answering) return null;
    const purpose = purposeOf(node);
    const window = policyWindow(ctx.quietHours, purpose);
    if (!window) {
      return `${nodeName(node)} is a marketing text set to send at once, but under the strictest policy marketing texts must be held for the allowed hours: some states ban them on Sundays and holidays, so no time of day is safe every day. Set it to hold the text until the window opens.`;
    }
    const allowed = timeWindow(window.from, window.to);
    if (isSubset(facts.times, allowed)) return null;
    return `This path can reach ${nodeName(node)} at ${formatTimeSet(minus(facts.times, allowed))} (the contact's local time), outside the allowed hours ${formatTimeSet(allowed)}, and it is set to send at once. Set it to hold the text until the window opens, or add a "Wait for a time window" step before it.`;
  },
  repair(node, facts, ctx) {
    if (!isSendingNode(node)) return facts;
    // As if held: the text then goes inside the window.
    const window = policyWindow(ctx.quietHours, purposeOf(node));
    return window ? { ...facts, times: timeWindow(window.from, window.to) } : facts;
  },
};
