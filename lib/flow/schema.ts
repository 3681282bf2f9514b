import { z } from 'zod';
import { NODE_TYPES } from './node-types';
import { DURATION_PATTERN } from './duration';
import { DAYS, TIME_OF_DAY_PATTERN } from './time-of-day';

/**
 * The flow document, version 1 (FLOW_FORMAT.md): the single source of truth.
 * The TypeScript types and `flow.schema.json` are derived from it. Objects are
 * strict (an unknown field is an error: typos must not pass silently), and the
 * schema applies no defaults, so a parsed document exports byte-for-byte as
 * it came in; defaults are read through the helpers in `catalog.ts`.
 */

const quote = (v: unknown) => JSON.stringify(v);

const purpose = z.enum(['informational', 'marketing'], {
  error: (iss) => `${quote(iss.input)} is not a purpose: use "informational" or "marketing"`,
});

const duration = z.string({ error: 'must be a duration like PT30M, PT2H or P3D' }).regex(DURATION_PATTERN, {
  error: (iss) => `${quote(iss.input)} is not a duration like P2D (ISO 8601: PT30M, PT2H, P3D)`,
});

const timeOfDay = z.string({ error: 'must be a time of day like 09:30' }).regex(TIME_OF_DAY_PATTERN, {
  error: (iss) => `${quote(iss.input)} is not a time of day like 09:30 (24-hour HH:MM)`,
});

const days = z
  .array(z.enum(DAYS, { error: (iss) => `${quote(iss.input)} is not a day: use ${DAYS.join(', ')}` }))
  .min(1, { error: 'list at least one day, or leave days out for every day' });

const body = z
  .string({ error: 'must be the message text' })
  .max(1600, { error: 'the message is longer than 1,600 characters (10 SMS segments)' })
  .refine((s) => s.trim().length > 0, { error: 'the message is empty' });

const outsideHours = z.enum(['defer', 'send'], {
  error: (iss) => `${quote(iss.input)} is not allowed: use "defer" (hold until the window opens) or "send"`,
});

const identifier = (what: string) =>
  z.string({ error: `must be a ${what}` }).regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, {
    error: (iss) => `${quote(iss.input)} is not a valid ${what}: use letters, digits and _ (not starting with a digit)`,
  });

const keyword = z
  .string()
  .regex(/^[A-Za-z0-9]{2,20}$/, { error: (iss) => `${quote(iss.input)} is not a keyword: one word of 2 to 20 letters or digits` });

// Triggers -------------------------------------------------------------------

const triggerData = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('manual') }),
    z.strictObject({ kind: z.literal('api') }),
    z.strictObject({ kind: z.literal('event'), event: identifier('event name') }),
    z.strictObject({ kind: z.literal('keyword'), keywords: z.array(keyword).min(1, { error: 'list at least one keyword' }) }),
    z.strictObject({ kind: z.literal('schedule'), at: timeOfDay, days: days.optional() }),
  ],
  {
    error: (iss) =>
      `${quote((iss.input as { kind?: unknown } | undefined)?.kind)} is not a trigger kind: use manual, api, event, keyword or schedule`,
  },
);

// Consent --------------------------------------------------------------------

const consentRequestData = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ purpose, mode: z.literal('explicit'), body, timeout: duration }),
    z.strictObject({ purpose, mode: z.literal('notice'), body, noticePeriod: duration }),
  ],
  { error: 'mode must be "explicit" (needs a YES) or "notice" (granted unless the contact declines)' },
);

const consentCheckData = z.strictObject({ purpose });

// Messages -------------------------------------------------------------------

const messageSendData = z.strictObject({ purpose, body, outsideHours: outsideHours.optional() });

const messageAskData = z.strictObject({ purpose, body, timeout: duration, outsideHours: outsideHours.optional() });

// Split ----------------------------------------------------------------------

const caseText = z
  .array(
    z
      .string()
      .min(1, { error: 'an empty text never matches', abort: true })
      .refine((s) => s.trim().length > 0, { error: 'an empty text never matches' }),
  )
  .min(1);

const splitCase = z
  .strictObject({
    handle: z
      .string({ error: 'must be the name of this branch' })
      .regex(/^[a-z][a-z0-9_-]{0,31}$/, {
        error: (iss) => `${quote(iss.input)} is not a branch name: lower-case letters, digits, - and _`,
      })
      .refine((h) => h !== 'else', { error: '"else" is the name of the branch taken when no case matches' }),
    equals: caseText.optional(),
    contains: caseText.optional(),
  })
  .refine((c) => c.equals !== undefined || c.contains !== undefined, {
    error: 'a case needs "equals" or "contains" texts to match',
  });

const splitData = z.discriminatedUnion(
  'on',
  [
    z.strictObject({ on: z.literal('reply'), cases: z.array(splitCase).min(1, { error: 'add at least one case' }) }),
    z.strictObject({
      on: z.literal('variable'),
      variable: identifier('variable name'),
      cases: z.array(splitCase).min(1, { error: 'add at least one case' }),
    }),
  ],
  { error: 'on must be "reply" or "variable"' },
);

// Waits ----------------------------------------------------------------------

const waitDelayData = z.strictObject({ duration });

const waitWindowData = z.strictObject({ from: timeOfDay, to: timeOfDay, days: days.optional() });

// Identity and payment -------------------------------------------------------

const verifyIdentityData = z.strictObject({
  method: z.enum(['otp', 'zip', 'dob'], {
    error: (iss) => `${quote(iss.input)} is not a method: use "otp" (one-time code), "zip" or "dob"`,
  }),
  body,
  maxAttempts: z
    .number({ error: 'must be a whole number of attempts' })
    .int({ error: 'must be a whole number of attempts' })
    .min(1, { error: 'allow at least 1 attempt' })
    .max(10, { error: 'allow at most 10 attempts' }),
  timeout: duration,
});

/** The most one payment request charges, in major units: a literal amount is checked here, a `{{var}}` one by the runtime when it renders. */
export const MAX_PAYMENT_AMOUNT = 1_000_000;

const amount = z.union(
  [
    z
      .number()
      .positive({ error: 'the amount must be more than zero' })
      .max(MAX_PAYMENT_AMOUNT, { error: 'the amount is over 1,000,000' })
      .refine((n) => Math.round(n * 100) === n * 100, { error: 'the amount has more than 2 decimals' }),
    z.string().regex(/^\s*\{\{[^{}]+\}\}\s*$/, {
      error: (iss) => `${quote(iss.input)} is not an amount: use a number like 42.50 or a variable like {{vars.amount_due}}`,
    }),
  ],
  { error: 'must be a number like 42.50 or a variable like {{vars.amount_due}}' },
);

const paymentRequestData = z.strictObject({
  amount,
  currency: z.string().regex(/^[a-z]{3}$/, { error: (iss) => `${quote(iss.input)} is not a currency code like usd` }),
  description: z
    .string()
    .min(1, { error: 'describe what is being paid', abort: true })
    .refine((s) => s.trim().length > 0, { error: 'describe what is being paid' })
    .max(200),
  body,
  expiresIn: duration,
});

// Variables and end ----------------------------------------------------------

const variableSetData = z.strictObject({
  assign: z
    .record(identifier('variable name'), z.string({ error: 'must be a text or template' }).max(1000))
    .refine((a) => Object.keys(a).length > 0, { error: 'assign at least one variable' }),
});

const endData = z.strictObject({});

// Nodes, edges, document -----------------------------------------------------

const nodeId = z.string({ error: 'must be the node id' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
  error: (iss) => `${quote(iss.input)} is not an id: letters, digits, _ . : - (at most 64)`,
});

const position = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

const nodeBase = {
  id: nodeId,
  position: position.optional(),
  label: z
    .string()
    .min(1)
    .max(80)
    .refine((s) => s.trim().length > 0, { error: 'the label is blank' })
    .optional(),
};

function node<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ ...nodeBase, type: z.literal(type), data });
}

export { NODE_TYPES };

export const nodeSchema = z.discriminatedUnion(
  'type',
  [
    node('trigger', triggerData),
    node('consent.request', consentRequestData),
    node('consent.check', consentCheckData),
    node('message.send', messageSendData),
    node('message.ask', messageAskData),
    node('split', splitData),
    node('wait.delay', waitDelayData),
    node('wait.window', waitWindowData),
    node('verify.identity', verifyIdentityData),
    node('payment.request', paymentRequestData),
    node('variable.set', variableSetData),
    z.strictObject({ ...nodeBase, type: z.literal('end'), data: endData.optional() }),
  ],
  {
    error: (iss) => `${quote((iss.input as { type?: unknown } | undefined)?.type)} is not a node type: use one of ${NODE_TYPES.join(', ')}`,
  },
);

export const edgeSchema = z.strictObject({
  id: nodeId,
  source: nodeId,
  sourceHandle: z.string({ error: "must name one of the source node's outputs" }).min(1),
  target: nodeId,
});

export const policySchema = z.strictObject({
  brand: z
    .string({ error: 'name the sender (brand): opt-in messages must name it' })
    .max(80)
    .refine((s) => s.trim().length > 0, { error: 'name the sender (brand): opt-in messages must name it' }),
  quietHours: z
    .enum(['federal', 'strictest'], {
      error: (iss) => `${quote(iss.input)} is not a policy: use "federal" (08:00–21:00) or "strictest"`,
    })
    .optional(),
});

export const flowSchema = z.strictObject({
  schemaVersion: z.literal(1, { error: 'must be 1 (this is version 1 of the flow format)' }),
  id: z.string({ error: 'must be the flow id' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
    error: (iss) => `${quote(iss.input)} is not a flow id: lower-case letters, digits and -, like "pay-by-text"`,
  }),
  name: z
    .string({ error: 'must be the flow name' })
    .min(1, { error: 'the flow needs a name', abort: true })
    .refine((s) => s.trim().length > 0, { error: 'the flow needs a name' })
    .max(120),
  description: z.string().max(2000).optional(),
  policy: policySchema,
  nodes: z.array(nodeSchema, { error: 'must be a list of nodes' }),
  edges: z.array(edgeSchema, { error: 'must be a list of edges' }),
});

/**
 * A draft as the editor saves it: the document's shape, with what may be
 * mid-edit left loose (node data as it is, ids and outputs not yet checked, a
 * blank brand or label); the editor shows its problems, and submitting a
 * version checks it in full with `flowSchema`. The sizes are capped so one
 * save cannot hand the editor a document it cannot draw.
 */
export const flowDraftSchema = flowSchema.extend({
  id: z.string(),
  policy: policySchema.extend({ brand: z.string().max(80) }),
  nodes: z
    .array(
      z.strictObject({
        ...nodeBase,
        id: z.string().min(1).max(64),
        type: z.enum(NODE_TYPES, { error: (iss) => `${quote(iss.input)} is not a node type` }),
        label: z.string().max(80).optional(),
        data: z.unknown().optional(),
      }),
      { error: 'must be a list of nodes' },
    )
    .max(20_000, { error: 'a flow has at most 20,000 steps' }),
  edges: z
    .array(edgeSchema.extend({ id: z.string().min(1).max(64), source: z.string(), sourceHandle: z.string(), target: z.string() }), {
      error: 'must be a list of edges',
    })
    .max(40_000),
});

export type FlowDocument = z.infer<typeof flowSchema>;
export type FlowDraft = z.infer<typeof flowDraftSchema>;
export type FlowNode = z.infer<typeof nodeSchema>;
export type FlowEdge = z.infer<typeof edgeSchema>;
export type FlowPolicy = z.infer<typeof policySchema>;
export type NodeType = FlowNode['type'];
export type NodeOfType<T extends NodeType> = Extract<FlowNode, { type: T }>;
export type TriggerData = z.infer<typeof triggerData>;
export type SplitCase = z.infer<typeof splitCase>;
