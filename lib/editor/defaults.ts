import { assertNever } from '@/lib/flow/catalog';
import type { FlowDocument, FlowNode, NodeType } from '@/lib/flow/schema';

/** Short id stems per node type, so ids read well in exports: `send-2`, `pay-1`. */
const ID_STEM: Record<NodeType, string> = {
  trigger: 'start',
  'consent.request': 'consent',
  'consent.check': 'check',
  'message.send': 'send',
  'message.ask': 'ask',
  split: 'branch',
  'wait.delay': 'wait',
  'wait.window': 'window',
  'verify.identity': 'verify',
  'payment.request': 'pay',
  'variable.set': 'set',
  end: 'end',
};

/** A node id not yet used in the document: the type's stem and the next free number. */
export function newNodeId(taken: ReadonlySet<string>, type: NodeType): string {
  const stem = ID_STEM[type];
  for (let n = 1; ; n++) {
    const id = `${stem}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** An edge id for an output: `e-<source>-<output>`, numbered when taken. */
export function newEdgeId(taken: ReadonlySet<string>, source: string, sourceHandle: string): string {
  const base = `e-${source}-${sourceHandle}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 60);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A new node of a type with data that already passes the schema and the
 * content rules: bodies name the brand and carry the disclosures, so a
 * marketer starts from something compliant and edits it.
 */
export function defaultNode(type: NodeType, id: string, brand: string, position: { x: number; y: number }): FlowNode {
  const b = brand.trim() || 'Your brand';
  const base = { id, position };
  switch (type) {
    case 'trigger':
      return { ...base, type, data: { kind: 'api' } };
    case 'consent.request':
      return {
        ...base,
        type,
        data: {
          purpose: 'informational',
          mode: 'notice',
          body: `${b}: For your convenience, we now send account updates by text. Reply STOP if you would like to decline, or HELP for help. Msg & data rates may apply.`,
          noticePeriod: 'P2D',
        },
      };
    case 'consent.check':
      return { ...base, type, data: { purpose: 'informational' } };
    case 'message.send':
      return { ...base, type, data: { purpose: 'informational', body: `${b}: Hi {{contact.first_name}}, ` } };
    case 'message.ask':
      return { ...base, type, data: { purpose: 'informational', body: `${b}: Reply YES or NO.`, timeout: 'P1D' } };
    case 'split':
      return { ...base, type, data: { on: 'reply', cases: [{ handle: 'yes', equals: ['yes', 'y'] }] } };
    case 'wait.delay':
      return { ...base, type, data: { duration: 'P1D' } };
    case 'wait.window':
      return { ...base, type, data: { from: '09:00', to: '17:00' } };
    case 'verify.identity':
      return {
        ...base,
        type,
        data: {
          method: 'zip',
          body: `${b}: To continue, reply with the 5-digit ZIP code on your account.`,
          maxAttempts: 3,
          timeout: 'P1D',
        },
      };
    case 'payment.request':
      return {
        ...base,
        type,
        data: {
          amount: '{{vars.amount_due}}',
          currency: 'usd',
          description: `${b} invoice`,
          body: 'Pay securely here: {{payment.link}} (the link works for 3 days).',
          expiresIn: 'P3D',
        },
      };
    case 'variable.set':
      return { ...base, type, data: { assign: { note: '{{reply.text}}' } } };
    case 'end':
      return { ...base, type };
    default:
      return assertNever(type);
  }
}

/** A new, empty flow document. */
export function blankFlow(id: string, name: string, brand: string): FlowDocument {
  return { schemaVersion: 1, id, name, policy: { brand, quietHours: 'strictest' }, nodes: [], edges: [] };
}

/** A flow id from a name: lower-case words joined by "-", or "flow". */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'flow';
}

/** The first of `base`, `base-2`, `base-3`… not taken. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base.slice(0, 58)}-${n}`;
    if (!taken.has(id)) return id;
  }
}
