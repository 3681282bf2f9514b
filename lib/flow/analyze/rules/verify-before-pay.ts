import type { EdgeRule } from './edge-rule';

/** `verify-before-pay`: a payment request only after "Verify identity" → verified on every path. */
export const verifyBeforePayRule: EdgeRule = {
  rule: 'verify-before-pay',
  appliesTo: (node) => node.type === 'payment.request',
  check(node, facts) {
    if (node.type !== 'payment.request' || facts.verified) return null;
    return 'This path asks for a payment without verifying who is paying. Add a "Verify identity" step before it and continue from its "verified" output.';
  },
  repair(_node, facts) {
    return { ...facts, verified: true };
  },
};
