/**
 * Every node type of the flow format (FLOW_FORMAT.md), in the palette's order.
 * A module of its own, without the schema's validators: the editor's first
 * screen lists the types without loading zod (lib/flow/schema.ts builds its
 * node union from this list).
 */
export const NODE_TYPES = [
  'trigger',
  'consent.request',
  'consent.check',
  'message.send',
  'message.ask',
  'split',
  'wait.delay',
  'wait.window',
  'verify.identity',
  'payment.request',
  'variable.set',
  'end',
] as const;
