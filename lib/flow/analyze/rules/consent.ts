import { isSendingNode, purposeOf } from '@/lib/flow/catalog';
import { grantConsent, hasConsent } from '@/lib/flow/analyze/facts';
import type { EdgeRule } from './edge-rule';

/**
 * `consent-required`: a text of purpose P only where consent for P is known
 * on every path (marketing consent covers informational). The opt-in request
 * itself is exempt: it is how consent is asked.
 */
export const consentRule: EdgeRule = {
  rule: 'consent-required',
  appliesTo: (node) => isSendingNode(node) && node.type !== 'consent.request',
  check(node, facts) {
    if (!isSendingNode(node) || node.type === 'consent.request') return null;
    const purpose = purposeOf(node);
    if (hasConsent(facts, purpose)) return null;
    return purpose === 'marketing'
      ? 'This path reaches a marketing text without marketing consent. Add an "Ask for consent" (marketing) or "Check consent" step before it.'
      : 'This path reaches a text without the contact\'s consent to be texted. Add an "Ask for consent" or "Check consent" step before it.';
  },
  repair(node, facts) {
    return isSendingNode(node) ? { ...facts, consent: grantConsent(facts, purposeOf(node)) } : facts;
  },
};
