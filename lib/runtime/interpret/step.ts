import {
  getInitialMicrosteps,
  getMicrosteps,
  initialTransition,
  transition,
  type AnyEventObject,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type StateValue,
} from 'xstate';
import { isFlowEffect, type FlowEffect } from '@/lib/flow/machine-events';
import type { StoredContext, StoredSnapshot } from '@/lib/flow/snapshot';

export type { StoredContext, StoredSnapshot } from '@/lib/flow/snapshot';

/**
 * The runtime's pure step: XState's `transition()` turned into data the shell
 * can commit in one transaction (STYLE.md, "Effects are data with
 * deterministic ids"). No I/O and no clock: the shell stores `snapshot`,
 * enqueues `effects` and applies `timers`.
 */

/** Something the runtime must do outside the machine (`FlowEffect`); `id` is also the provider idempotency key. */
export type Effect = FlowEffect & { id: string };

/**
 * A delayed event to schedule (a wait, a timeout) or cancel. `key` identifies
 * the timer within the run: re-entering a state re-arms the same key, so a
 * job queue keyed on `runId:key` replaces the older timer. `step` lets the
 * shell ignore a firing that belongs to an earlier arming.
 */
export type TimerOp = { op: 'schedule'; key: string; event: AnyEventObject; delayMs: number; step: number } | { op: 'cancel'; key: string };

export interface StepResult {
  snapshot: StoredSnapshot;
  effects: Effect[];
  timers: TimerOp[];
  /** Whether the event changed anything; a stale or unknown event changes nothing. */
  changed: boolean;
  /** The nodes the step went through, in order (the run inspector draws the path from these). */
  moves: NodeMove[];
}

/**
 * One move from node to node inside a step: `from` is null for the trigger
 * entered at the start; `event` is the event type that caused the step (the
 * moves after the first are eventless or immediate, under the same event).
 * A changed step that stays in its node is one move with `from` = `to`.
 */
export interface NodeMove {
  from: string | null;
  to: string;
  event: string;
}

/** Starts a run: the initial snapshot and the effects of entering the trigger. `step` is 0. */
export function startRun(machine: AnyStateMachine, runId: string, input: Record<string, unknown>): StepResult {
  const [snapshot, actions] = initialTransition(machine, input);
  const moves = movesOf(
    null,
    getInitialMicrosteps(machine, input).map(([s]) => s),
    'start',
  );
  return toResult(runId, 0, snapshot, actions, true, moves);
}

/**
 * Applies one event to a stored snapshot. `step` is the run's step number
 * after this event (the stored version + 1): effect ids are `runId:step:index`.
 */
export function stepRun(machine: AnyStateMachine, runId: string, stored: StoredSnapshot, event: AnyEventObject, step: number): StepResult {
  const current = restoreSnapshot(machine, stored);
  if (current.status !== 'active') return { snapshot: stored, effects: [], timers: [], changed: false, moves: [] };
  const [next, actions] = transition(machine, current, event);
  const snapshot = toStored(next);
  const changed =
    actions.length > 0 ||
    JSON.stringify(snapshot.value) !== JSON.stringify(stored.value) ||
    JSON.stringify(snapshot.context) !== JSON.stringify(stored.context);
  // Microsteps cost a second evaluation of the event; only a changed step needs them (the path it took).
  const from = nodeIdOfValue(stored.value);
  const moves = changed
    ? movesOf(
        from,
        getMicrosteps(machine, current, event).map(([s]) => s),
        event.type,
      )
    : [];
  // A step that stays in its node (a text sent while the node waits on): one move to itself, so every step is on record.
  if (changed && moves.length === 0) moves.push({ from, to: from, event: event.type });
  return toResult(runId, step, next, actions, changed, moves);
}

/**
 * The snapshot as a run row keeps it: without the contact's fields. The row
 * names the contact by id; the name is read from the (encrypted) contact
 * record whenever a step or a send needs it, so it is never copied into
 * `runs.snapshot` and a renamed contact is greeted by the new name.
 */
export function withoutContact(snapshot: StoredSnapshot): StoredSnapshot {
  if (!('contact' in snapshot.context)) return snapshot;
  const { contact: _contact, ...context } = snapshot.context;
  return { ...snapshot, context };
}

/** A stored snapshot with the contact's current fields put back, for the machine to read (`variable.set` templates). */
export function withContact(snapshot: StoredSnapshot, contact: Record<string, string>): StoredSnapshot {
  return { ...snapshot, context: { ...snapshot.context, contact } };
}

/** A machine snapshot from its stored form. */
export function restoreSnapshot(machine: AnyStateMachine, stored: StoredSnapshot): AnyMachineSnapshot {
  return machine.resolveState({ value: stored.value as StateValue, context: stored.context, status: stored.status });
}

function toStored(snapshot: AnyMachineSnapshot): StoredSnapshot {
  const value = snapshot.value as StoredSnapshot['value'];
  return { value, status: snapshot.status, context: snapshot.context as StoredContext };
}

/**
 * The effect an action names, under its id: only its type and params (the
 * action XState returns also carries its context and actor, which a job
 * payload must not).
 */
function effectOf(action: FlowEffect, id: string): Effect {
  switch (action.type) {
    case 'sendSms':
      return { id, type: action.type, params: action.params };
    case 'recordConsent':
      return { id, type: action.type, params: action.params };
    case 'checkConsent':
      return { id, type: action.type, params: action.params };
    case 'waitForWindow':
      return { id, type: action.type, params: action.params };
    case 'startVerification':
      return { id, type: action.type, params: action.params };
    case 'requestPayment':
      return { id, type: action.type, params: action.params };
    case 'endRun':
      return { id, type: action.type, params: action.params };
    default: {
      const unknown: never = action;
      throw new Error(`effect ${JSON.stringify(unknown)} is not one of the runtime's`);
    }
  }
}

interface ActionLike {
  type: string;
  params?: unknown;
}

/** A node id from a state value (a node with sub-states is `{ nodeId: sub }`). */
function nodeIdOfValue(value: unknown): string {
  return typeof value === 'string' ? value : Object.keys(value as object)[0]!;
}

/** The node changes along a step's microsteps (a move between sub-states of one node is no move). */
function movesOf(start: string | null, microsteps: readonly AnyMachineSnapshot[], event: string): NodeMove[] {
  const moves: NodeMove[] = [];
  let at = start;
  for (const snapshot of microsteps) {
    const to = nodeIdOfValue(snapshot.value);
    if (to === at) continue;
    moves.push({ from: at, to, event });
    at = to;
  }
  return moves;
}

function toResult(
  runId: string,
  step: number,
  snapshot: AnyMachineSnapshot,
  actions: readonly ActionLike[],
  changed: boolean,
  moves: NodeMove[],
): StepResult {
  const effects: Effect[] = [];
  const timers: TimerOp[] = [];
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    if (action.type === 'xstate.raise') {
      const delay = params.delay;
      if (typeof delay !== 'number') throw new Error('an undelayed raise escaped the macrostep');
      timers.push({ op: 'schedule', key: String(params.id), event: params.event as AnyEventObject, delayMs: delay, step });
    } else if (action.type === 'xstate.cancel') {
      timers.push({ op: 'cancel', key: String(params.sendId) });
    } else if (isFlowEffect(action)) {
      effects.push(effectOf(action, `${runId}:${step}:${effects.length}`));
    }
    // Anything else (assign and the other built-ins) was applied by transition() itself.
  }
  return { snapshot: toStored(snapshot), effects, timers, changed, moves };
}
