import { isSendingNode, purposeOf } from '@/lib/flow/catalog';
import { MARKETING_CAP } from '@/lib/flow/analyze/recent-marketing';
import { nodeName, type EdgeRule } from './edge-rule';

/**
 * `frequency-cap`: under the strictest policy, no path may send a marketing
 * text while 3 others went out less than 24 hours before it (FL, MD, OK cap
 * marketing at 3 in 24 hours; COMPLIANCE.md, "Frequency"). The facts keep
 * only texts younger than 24 hours, so 3 of them means this would be a 4th.
 */
export const frequencyCapRule: EdgeRule = {
  rule: 'frequency-cap',
  appliesTo: (node, ctx) => ctx.quietHours === 'strictest' && isSendingNode(node) && purposeOf(node) === 'marketing',
  check(node, facts, ctx) {
    if (ctx.quietHours !== 'strictest' || !isSendingNode(node) || purposeOf(node) !== 'marketing') return null;
    if (facts.recentMarketing.length < MARKETING_CAP) return null;
    return `This path can send ${nodeName(node)} as a 4th marketing text within 24 hours. Under the strictest policy (Florida, Maryland and Oklahoma allow at most 3 in 24 hours), add a wait so that 24 hours pass between the 1st and the 4th.`;
  },
  repair(_node, facts) {
    // As the runtime does: held until the oldest of the three is 24 hours old.
    return { ...facts, recentMarketing: facts.recentMarketing.slice(0, MARKETING_CAP - 1) };
  },
};
