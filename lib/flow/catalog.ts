import type { FlowNode, FlowPolicy, NodeOfType, NodeType } from './schema';
import type { Purpose } from '@/lib/compliance/types';
import type { QuietHoursPolicy } from '@/lib/compliance/policy-window';

/** The node's named exits, in display order (FLOW_FORMAT.md, "Node types"). */
export function outputsOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'trigger':
    case 'wait.delay':
    case 'wait.window':
    case 'variable.set':
      return ['next'];
    case 'consent.request':
      return node.data.mode === 'explicit' ? ['granted', 'declined', 'timeout'] : ['granted', 'declined'];
    case 'consent.check':
      return ['granted', 'missing'];
    case 'message.send':
      return ['sent', 'failed'];
    case 'message.ask':
      return ['reply', 'timeout'];
    case 'split':
      return [...node.data.cases.map((c) => c.handle), 'else'];
    case 'verify.identity':
      return ['verified', 'failed'];
    case 'payment.request':
      return ['paid', 'failed', 'expired'];
    case 'end':
      return [];
    default:
      return assertNever(node);
  }
}

/** Nodes that text the contact (FLOW_FORMAT.md, "What the analyzer knows"). */
export type SendingNode = NodeOfType<'consent.request' | 'message.send' | 'message.ask' | 'verify.identity' | 'payment.request'>;

/** Whether the node sends a text to the contact. */
export function isSendingNode(node: FlowNode): node is SendingNode {
  switch (node.type) {
    case 'consent.request':
    case 'message.send':
    case 'message.ask':
    case 'verify.identity':
    case 'payment.request':
      return true;
    case 'trigger':
    case 'consent.check':
    case 'split':
    case 'wait.delay':
    case 'wait.window':
    case 'variable.set':
    case 'end':
      return false;
    default:
      return assertNever(node);
  }
}

/**
 * The purpose of the text a sending node sends. Identity checks and payment
 * requests are informational: they serve a transaction the contact has with
 * the sender (COMPLIANCE.md, "Purposes and consent": bill due, pay-by-text).
 */
export function purposeOf(node: SendingNode): Purpose {
  switch (node.type) {
    case 'consent.request':
    case 'message.send':
    case 'message.ask':
      return node.data.purpose;
    case 'verify.identity':
    case 'payment.request':
      return 'informational';
    default:
      return assertNever(node);
  }
}

/** Whether a sending node may send outside the window (`outsideHours: "send"`); every other send defers. */
export function isSendNow(node: SendingNode): boolean {
  return (node.type === 'message.send' || node.type === 'message.ask') && node.data.outsideHours === 'send';
}

/** The flow's quiet-hours policy, `strictest` by default (FLOW_FORMAT.md). */
export function quietHoursOf(policy: FlowPolicy): QuietHoursPolicy {
  return policy.quietHours ?? 'strictest';
}

/** Message templates of a node with the JSON path of each, for template and content checks. */
export function templatesOf(node: FlowNode): { field: string; text: string }[] {
  switch (node.type) {
    case 'consent.request':
    case 'message.send':
    case 'message.ask':
    case 'verify.identity':
      return [{ field: 'body', text: node.data.body }];
    case 'payment.request': {
      const out = [
        { field: 'body', text: node.data.body },
        { field: 'description', text: node.data.description },
      ];
      if (typeof node.data.amount === 'string') out.push({ field: 'amount', text: node.data.amount });
      return out;
    }
    case 'variable.set':
      return Object.entries(node.data.assign).map(([name, text]) => ({ field: `assign.${name}`, text }));
    case 'trigger':
    case 'consent.check':
    case 'split':
    case 'wait.delay':
    case 'wait.window':
    case 'end':
      return [];
    default:
      return assertNever(node);
  }
}

/**
 * How the UI names each node type. `title` is the step's short name (on the
 * canvas, in the analyzer's sentences); `action` says what a marketer wants to
 * do with it (the palette, the inspector's heading); `note` describes it; and
 * `keywords` are the other words one might search the palette for.
 */
export interface NodeCatalogEntry {
  title: string;
  action: string;
  note: string;
  keywords: readonly string[];
}

/** A plain-language name, action, note and search words for each node type, shown in the palette and inspector. */
export const NODE_CATALOG: Record<NodeType, NodeCatalogEntry> = {
  trigger: {
    title: 'Start',
    action: 'Start the flow',
    note: 'Where the flow begins: by hand, from the API, on an event, when the contact texts a keyword, or on a schedule.',
    keywords: ['trigger', 'begin', 'keyword', 'schedule', 'event', 'api'],
  },
  'consent.request': {
    title: 'Ask for consent',
    action: 'Ask for consent to text',
    note: 'Sends the opt-in message with the required disclosures and waits for YES or STOP.',
    keywords: ['opt-in', 'optin', 'permission', 'subscribe', 'yes', 'stop', 'reply', 'wait'],
  },
  'consent.check': {
    title: 'Check consent',
    action: 'Check for consent already given',
    note: 'Continues on "granted" only when the consent ledger shows consent for this purpose.',
    keywords: ['opt-in', 'permission', 'subscribed', 'ledger'],
  },
  'message.send': {
    title: 'Send text',
    action: 'Send a text',
    note: 'Sends a text and moves on at once. Outside the allowed hours it is held until the window opens.',
    keywords: ['sms', 'message', 'notify', 'reminder', 'announce'],
  },
  'message.ask': {
    title: 'Ask a question',
    action: 'Ask a question and wait for the reply',
    note: 'Sends a text, then waits for the contact to reply (continues on "reply") or for the time you set to run out ("timeout").',
    keywords: ['wait', 'reply', 'response', 'answer', 'question', 'survey', 'input', 'sms', 'message'],
  },
  split: {
    title: 'Branch',
    action: 'Branch on the reply or a value',
    note: 'Takes the first case whose words match the reply or variable; otherwise "else".',
    keywords: ['if', 'condition', 'choice', 'choose', 'route', 'switch', 'split', 'match', 'keyword', 'reply', 'answer'],
  },
  'wait.delay': {
    title: 'Wait',
    action: 'Wait for a while',
    note: 'Waits for a fixed amount of time (minutes, hours, days or weeks).',
    keywords: ['delay', 'pause', 'later', 'sleep', 'time', 'timer'],
  },
  'wait.window': {
    title: 'Wait for a time window',
    action: 'Wait for a time of day',
    note: "Continues at once inside the window (contact's local time), else waits for it to open.",
    keywords: ['hours', 'business hours', 'schedule', 'delay', 'pause', 'time'],
  },
  'verify.identity': {
    title: 'Verify identity',
    action: 'Verify who is paying',
    note: 'Confirms who is paying: a one-time code, ZIP code or date of birth.',
    keywords: ['identity', 'otp', 'code', 'zip', 'birth', 'security', 'reply', 'wait'],
  },
  'payment.request': {
    title: 'Request payment',
    action: 'Ask for a payment by text',
    note: 'Texts a secure hosted payment link and waits until it is paid, fails or expires. Card data never passes through Optline.',
    keywords: ['pay', 'bill', 'invoice', 'card', 'checkout', 'link', 'stripe', 'money'],
  },
  'variable.set': {
    title: 'Set variable',
    action: 'Remember a value',
    note: 'Stores values for later messages and branches.',
    keywords: ['variable', 'store', 'save', 'assign', 'field', 'data'],
  },
  end: { title: 'End', action: 'End the flow', note: 'The run ends here.', keywords: ['stop', 'finish', 'done', 'exit'] },
};

/** Exhaustiveness check for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
