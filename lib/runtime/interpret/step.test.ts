import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { startRun, stepRun } from './step';

const machine = setup({
  types: { context: {} as { answers: number }, events: {} as { type: 'reply' } | { type: 'sms.sent' } },
  actions: { sendSms: (_: unknown, _params: { body: string }) => {} },
}).createMachine({
  id: 'demo',
  initial: 'ask',
  context: { answers: 0 },
  states: {
    ask: {
      entry: [{ type: 'sendSms', params: { body: 'Reply YES' } }],
      after: { 3_600_000: 'gone' },
      on: { reply: { target: 'thanks', actions: assign({ answers: ({ context }) => context.answers + 1 }) } },
    },
    thanks: { entry: [{ type: 'sendSms', params: { body: 'Thanks' } }], on: { 'sms.sent': 'done' } },
    gone: { type: 'final' },
    done: { type: 'final' },
  },
});

describe('the runtime step', () => {
  it('starts a run with effects whose ids are runId:step:index and a timer for the timeout', () => {
    const result = startRun(machine, 'run-1', {});
    expect(result.snapshot).toEqual({ value: 'ask', status: 'active', context: { answers: 0 } });
    expect(result.effects).toEqual([{ id: 'run-1:0:0', type: 'sendSms', params: { body: 'Reply YES' } }]);
    expect(result.timers).toEqual([
      {
        op: 'schedule',
        key: 'xstate.after.3600000.demo.ask',
        event: { type: 'xstate.after.3600000.demo.ask' },
        delayMs: 3_600_000,
        step: 0,
      },
    ]);
  });

  it('applies an event to the stored snapshot: cancels the timer, assigns, and emits the next effect', () => {
    const start = startRun(machine, 'run-1', {});
    const stored = JSON.parse(JSON.stringify(start.snapshot));
    const result = stepRun(machine, 'run-1', stored, { type: 'reply' }, 1);
    expect(result.snapshot).toEqual({ value: 'thanks', status: 'active', context: { answers: 1 } });
    expect(result.effects).toEqual([{ id: 'run-1:1:0', type: 'sendSms', params: { body: 'Thanks' } }]);
    expect(result.timers).toEqual([{ op: 'cancel', key: 'xstate.after.3600000.demo.ask' }]);
    expect(result.changed).toBe(true);
  });

  it('ignores a timer that fires after its state was left', () => {
    const start = startRun(machine, 'run-1', {});
    const thanks = stepRun(machine, 'run-1', start.snapshot, { type: 'reply' }, 1);
    const late = stepRun(machine, 'run-1', thanks.snapshot, { type: 'xstate.after.3600000.demo.ask' }, 2);
    expect(late).toEqual({ snapshot: thanks.snapshot, effects: [], timers: [], changed: false, moves: [] });
  });

  it('lists the nodes each step went through, for the path a run took', () => {
    const start = startRun(machine, 'run-1', {});
    expect(start.moves).toEqual([{ from: null, to: 'ask', event: 'start' }]);
    const thanks = stepRun(machine, 'run-1', start.snapshot, { type: 'reply' }, 1);
    expect(thanks.moves).toEqual([{ from: 'ask', to: 'thanks', event: 'reply' }]);
    expect(stepRun(machine, 'run-1', thanks.snapshot, { type: 'sms.sent' }, 2).moves).toEqual([
      { from: 'thanks', to: 'done', event: 'sms.sent' },
    ]);
  });

  it('records a step that stays in its node as a move to itself', () => {
    const stay = setup({ types: { context: {} as { n: number }, events: {} as { type: 'tick' } } }).createMachine({
      id: 'stay',
      initial: 'wait',
      context: { n: 0 },
      states: { wait: { initial: 'a', on: { tick: { actions: assign({ n: ({ context }) => context.n + 1 }) } }, states: { a: {} } } },
    });
    const start = startRun(stay, 'run-2', {});
    expect(stepRun(stay, 'run-2', start.snapshot, { type: 'tick' }, 1).moves).toEqual([{ from: 'wait', to: 'wait', event: 'tick' }]);
  });

  it('changes nothing once the run is done', () => {
    const start = startRun(machine, 'run-1', {});
    const done = stepRun(
      machine,
      'run-1',
      stepRun(machine, 'run-1', start.snapshot, { type: 'reply' }, 1).snapshot,
      { type: 'sms.sent' },
      2,
    );
    expect(done.snapshot.status).toBe('done');
    expect(stepRun(machine, 'run-1', done.snapshot, { type: 'reply' }, 3).changed).toBe(false);
  });
});
