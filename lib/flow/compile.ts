import { assign, setup } from 'xstate';
import { classifyReply } from '@/lib/compliance/classify-reply';
import { assertNever, purposeOf } from './catalog';
import { parseDuration } from './duration';
import { matchesSplitCase } from './split-case';
import {
  AWAITING_STATE,
  NOTICE_WAITING_STATE,
  SENDING_STATE,
  UNCONNECTED_STATE,
  type CheckConsentParams,
  type ContextAction,
  type EndRunParams,
  type FlowContext,
  type FlowEffect,
  type FlowEvent,
  type FlowGuard,
  type FlowInput,
  type MatchesCaseGuard,
  type RecordConsentParams,
  type ReplyIntent,
  type RequestPaymentParams,
  type SendSmsParams,
  type StartVerificationParams,
  type WaitForWindowParams,
} from './machine-events';
import type { FlowDocument, FlowNode, NodeOfType } from './schema';
import { renderTemplate } from './templates';

/**
 * The compiler: a flow document → a plain, JSON-serialisable XState v5 machine
 * configuration (ARCHITECTURE.md, "Compile, analyze, run"). Guards and actions
 * are referenced by name with params; their implementations are in
 * `createFlowMachine`. The vocabulary is documented in `machine-events.ts`.
 */

/** An action reference in the configuration: an effect, or a pure context assignment. */
export type ActionRef = FlowEffect | ContextAction;

export interface TransitionConfig {
  target: string;
  guard?: FlowGuard;
  actions?: ActionRef[];
}

export interface StateConfig {
  type?: 'final';
  initial?: string;
  entry?: ActionRef[];
  always?: TransitionConfig[];
  on?: Record<string, TransitionConfig[]>;
  /** Milliseconds (as an integer key) → transitions. */
  after?: Record<string, TransitionConfig[]>;
  states?: Record<string, StateConfig>;
}

/** A compiled flow: `id` is the flow id, one top-level state per node id, plus `__unconnected`. */
export interface FlowMachineConfig {
  id: string;
  initial: string;
  states: Record<string, StateConfig>;
}

/**
 * Compiles a valid flow document (parse it first) into a machine
 * configuration. Pure, deterministic and linear in the size of the flow.
 */
export function compileFlow(flow: FlowDocument): FlowMachineConfig {
  // One map lookup per output: linear in nodes + edges (a 10,000-node flow compiles in tens of ms).
  const targets = new Map<string, string>();
  for (const edge of flow.edges) targets.set(outputKey(edge.source, edge.sourceHandle), stateTarget(flow.id, edge.target));
  const unconnected = stateTarget(flow.id, UNCONNECTED_STATE);

  const exit: Exit = (nodeId, output, guard, actions) => {
    const target = targets.get(outputKey(nodeId, output));
    const transition: TransitionConfig = guard ? { guard, target: target ?? unconnected } : { target: target ?? unconnected };
    if (target === undefined) {
      const end: FlowEffect = { type: 'endRun', params: { nodeId, reason: 'unconnected', output } };
      transition.actions = actions ? [...actions, end] : [end];
    } else if (actions) transition.actions = actions;
    return transition;
  };

  const states: Record<string, StateConfig> = {};
  let initial: string | undefined;
  for (const node of flow.nodes) {
    if (node.type === 'trigger') {
      if (initial !== undefined) throw new Error(`flow ${flow.id} has more than one trigger`);
      initial = node.id;
    }
    states[node.id] = compileNode(node, exit);
  }
  if (initial === undefined) throw new Error(`flow ${flow.id} has no trigger`);
  states[UNCONNECTED_STATE] = { type: 'final' };
  return { id: flow.id, initial, states };
}

/**
 * The transition that leaves node `nodeId` through `output` (when `guard`
 * holds), performing `actions` on the way; an output without an edge goes to
 * the shared `__unconnected` final state with an `endRun`.
 */
type Exit = (nodeId: string, output: string, guard?: FlowGuard, actions?: ActionRef[]) => TransitionConfig;

function outputKey(nodeId: string, output: string): string {
  return `${nodeId}\u0000${output}`;
}

/**
 * A target by path from the root. A dot inside a node id is escaped: XState
 * reads unescaped dots as a path into child states.
 */
function stateTarget(flowId: string, stateKey: string): string {
  return `#${flowId}.${stateKey.includes('.') ? stateKey.replaceAll('.', '\\.') : stateKey}`;
}

function ms(duration: string): string {
  const value = parseDuration(duration);
  if (value === null) throw new Error(`not a duration: ${duration}`);
  return String(value);
}

const forNode = (nodeId: string): FlowGuard => ({ type: 'isForNode', params: { nodeId } });
const replyIs = (...intents: ReplyIntent[]): FlowGuard => ({ type: 'replyIs', params: { intents } });

function sendSms(node: NodeOfType<'consent.request' | 'message.send' | 'message.ask'>, kind: SendSmsParams['kind']): FlowEffect {
  const outsideHours = node.type === 'consent.request' ? 'defer' : (node.data.outsideHours ?? 'defer');
  return { type: 'sendSms', params: { nodeId: node.id, purpose: purposeOf(node), body: node.data.body, outsideHours, kind } };
}

function compileNode(node: FlowNode, exit: Exit): StateConfig {
  const id = node.id;
  switch (node.type) {
    case 'trigger':
      return { always: [exit(id, 'next')] };

    case 'consent.request': {
      const consent = (action: RecordConsentParams['action']): FlowEffect => ({
        type: 'recordConsent',
        params: { nodeId: id, purpose: node.data.purpose, action, mode: node.data.mode, text: node.data.body },
      });
      if (node.data.mode === 'explicit') {
        return {
          initial: SENDING_STATE,
          entry: [sendSms(node, 'consent')],
          on: {
            // START is an opt-in keyword too; an ambiguous text ("I'll stop by") decides nothing (COMPLIANCE.md, "Replies").
            reply: [
              exit(id, 'granted', replyIs('yes', 'start'), [consent('grant')]),
              exit(id, 'declined', replyIs('no', 'stop'), [consent('decline')]),
            ],
          },
          states: {
            [SENDING_STATE]: {
              on: {
                'sms.sent': [{ guard: forNode(id), target: AWAITING_STATE }],
                // Never delivered, so never answered: the same exit as no answer.
                'sms.failed': [exit(id, 'timeout', forNode(id))],
              },
            },
            [AWAITING_STATE]: { after: { [ms(node.data.timeout)]: [exit(id, 'timeout')] } },
          },
        };
      }
      return {
        initial: SENDING_STATE,
        entry: [sendSms(node, 'consent')],
        on: { reply: [exit(id, 'declined', replyIs('no', 'stop'), [consent('decline')])] },
        states: {
          [SENDING_STATE]: {
            on: {
              'sms.sent': [{ guard: forNode(id), target: NOTICE_WAITING_STATE }],
              // A notice the contact never received grants nothing; nothing is recorded either.
              'sms.failed': [exit(id, 'declined', forNode(id))],
            },
          },
          [NOTICE_WAITING_STATE]: { after: { [ms(node.data.noticePeriod)]: [exit(id, 'granted', undefined, [consent('grant')])] } },
        },
      };
    }

    case 'consent.check': {
      const check: CheckConsentParams = { nodeId: id, purpose: node.data.purpose };
      return {
        entry: [{ type: 'checkConsent', params: check }],
        on: {
          'consent.granted': [exit(id, 'granted', forNode(id))],
          'consent.missing': [exit(id, 'missing', forNode(id))],
        },
      };
    }

    case 'message.send':
      return {
        entry: [sendSms(node, 'message')],
        on: {
          'sms.sent': [exit(id, 'sent', forNode(id))],
          'sms.failed': [exit(id, 'failed', forNode(id))],
        },
      };

    case 'message.ask':
      return {
        initial: SENDING_STATE,
        entry: [sendSms(node, 'ask')],
        // A reply may overtake the delivery report: accept it in both sub-states.
        on: { reply: [exit(id, 'reply', undefined, [{ type: 'storeReply' }])] },
        states: {
          [SENDING_STATE]: {
            on: {
              'sms.sent': [{ guard: forNode(id), target: AWAITING_STATE }],
              'sms.failed': [exit(id, 'timeout', forNode(id))],
            },
          },
          [AWAITING_STATE]: { after: { [ms(node.data.timeout)]: [exit(id, 'timeout')] } },
        },
      };

    case 'split': {
      const base: Omit<MatchesCaseGuard['params'], 'equals' | 'contains'> =
        node.data.on === 'variable' ? { on: 'variable', variable: node.data.variable } : { on: 'reply' };
      const cases: TransitionConfig[] = node.data.cases.map((c) => {
        const params: MatchesCaseGuard['params'] = { ...base };
        if (c.equals) params.equals = c.equals;
        if (c.contains) params.contains = c.contains;
        return exit(id, c.handle, { type: 'matchesCase', params });
      });
      return { always: [...cases, exit(id, 'else')] };
    }

    case 'wait.delay':
      return { after: { [ms(node.data.duration)]: [exit(id, 'next')] } };

    case 'wait.window': {
      const params: WaitForWindowParams = { nodeId: id, from: node.data.from, to: node.data.to };
      if (node.data.days) params.days = [...node.data.days];
      return { entry: [{ type: 'waitForWindow', params }], on: { 'window.open': [exit(id, 'next', forNode(id))] } };
    }

    case 'verify.identity': {
      const params: StartVerificationParams = {
        nodeId: id,
        method: node.data.method,
        body: node.data.body,
        maxAttempts: node.data.maxAttempts,
      };
      return {
        entry: [{ type: 'startVerification', params }],
        on: {
          'identity.verified': [exit(id, 'verified', forNode(id))],
          'identity.failed': [exit(id, 'failed', forNode(id))],
        },
        after: { [ms(node.data.timeout)]: [exit(id, 'failed')] },
      };
    }

    case 'payment.request': {
      const params: RequestPaymentParams = {
        nodeId: id,
        amount: node.data.amount,
        currency: node.data.currency,
        description: node.data.description,
        body: node.data.body,
        expiresIn: node.data.expiresIn,
      };
      return {
        entry: [{ type: 'requestPayment', params }],
        on: {
          'payment.paid': [exit(id, 'paid', forNode(id), [{ type: 'storePayment' }])],
          'payment.failed': [exit(id, 'failed', forNode(id))],
        },
        after: { [ms(node.data.expiresIn)]: [exit(id, 'expired')] },
      };
    }

    case 'variable.set':
      return { entry: [{ type: 'setVariables', params: { assign: { ...node.data.assign } } }], always: [exit(id, 'next')] };

    case 'end':
      return { type: 'final', entry: [{ type: 'endRun', params: { nodeId: id, reason: 'end' } }] };

    default:
      return assertNever(node);
  }
}

// Guards ------------------------------------------------------------------------

export { matchesSplitCase } from './split-case';

function splitValue(context: FlowContext, params: MatchesCaseGuard['params']): string {
  if (params.on === 'reply') return context.reply?.text ?? '';
  const value = params.variable === undefined ? undefined : context.vars[params.variable];
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function templateScope(context: FlowContext): Record<string, unknown> {
  return { vars: context.vars, contact: context.contact, reply: context.reply, payment: context.payment };
}

// Machine -------------------------------------------------------------------------

const noEffect = () => {};

const flowSetup = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as FlowInput,
  },
  actions: {
    // Effects: performed by the runtime or the simulator from transition()'s output, never here.
    sendSms: (_, _params: SendSmsParams) => noEffect(),
    recordConsent: (_, _params: RecordConsentParams) => noEffect(),
    checkConsent: (_, _params: CheckConsentParams) => noEffect(),
    waitForWindow: (_, _params: WaitForWindowParams) => noEffect(),
    startVerification: (_, _params: StartVerificationParams) => noEffect(),
    requestPayment: (_, _params: RequestPaymentParams) => noEffect(),
    endRun: (_, _params: EndRunParams) => noEffect(),
    // Context assignments: pure, applied by transition() itself.
    storeReply: assign({
      reply: ({ context, event }) =>
        event.type === 'reply' ? { text: event.text, intent: classifyReply(event.text).intent } : context.reply,
    }),
    storePayment: assign({
      payment: ({ context, event }) => {
        if (event.type !== 'payment.paid') return context.payment;
        const payment: NonNullable<FlowContext['payment']> = { nodeId: event.nodeId, amount: event.amount };
        if (event.receiptUrl !== undefined) payment.receipt_url = event.receiptUrl;
        return payment;
      },
    }),
    setVariables: assign({
      vars: ({ context }, params: { assign: Record<string, string> }) => {
        const scope = templateScope(context);
        const vars = { ...context.vars };
        // Every template reads the variables as they were before this node.
        for (const [name, template] of Object.entries(params.assign)) vars[name] = renderTemplate(template, scope);
        return vars;
      },
    }),
  },
  guards: {
    isForNode: ({ event }, params: { nodeId: string }) => 'nodeId' in event && event.nodeId === params.nodeId,
    replyIs: ({ event }, params: { intents: ReplyIntent[] }) => {
      if (event.type !== 'reply') return false;
      const { intent, ambiguous } = classifyReply(event.text);
      return !ambiguous && params.intents.includes(intent);
    },
    matchesCase: ({ context }, params: MatchesCaseGuard['params']) => matchesSplitCase(splitValue(context, params), params),
  },
});

/** The machine type `createFlowMachine` returns. */
export type FlowMachine = ReturnType<typeof flowSetup.createMachine>;

type MachineConfigArg = Parameters<typeof flowSetup.createMachine>[0];

/**
 * Builds the XState machine of a flow (or of an already compiled
 * configuration). Costly for large flows: create it once per flow version and
 * keep it. The machine's input is `{ vars?, contact? }`.
 */
export function createFlowMachine(source: FlowDocument | FlowMachineConfig): FlowMachine {
  const config = 'schemaVersion' in source ? compileFlow(source) : source;
  // The compiled configuration is plain data whose action, guard and event
  // names match the implementations above; XState's config type cannot
  // express a configuration built at run time, hence the cast.
  const withContext = {
    ...config,
    context: ({ input }: { input: FlowInput | undefined }): FlowContext => ({ vars: { ...input?.vars }, contact: { ...input?.contact } }),
  } as unknown as MachineConfigArg;
  return flowSetup.createMachine(withContext);
}
