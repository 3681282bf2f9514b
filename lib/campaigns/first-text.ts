import type { AnyEventObject } from 'xstate';
import type { ConsentLevel, ContactLocation } from '@/lib/compliance/types';
import type { FlowMachine } from '@/lib/flow/compile';
import { planEffect } from '@/lib/runtime/interpret/effect-plan';
import type { OutboundText } from '@/lib/runtime/interpret/outbound';
import { startRun, stepRun, type StepResult } from '@/lib/runtime/interpret/step';

/** What a run would do first, for the preview: a text at an instant, or no text (and why). */
export type FirstText = { text: OutboundText; at: Date } | { none: string; rule: 'consent-required' | 'flow' };

// Bound on the steps walked to the first text: a flow that loops without sending is reported, not walked forever.
const MAX_STEPS = 200;

/**
 * The first text a run of `machine` would send, started at `start` for a
 * contact with this consent and location, found by the one interpreter the
 * runtime steps (`startRun`, `stepRun`, `planEffect`): consent checks are
 * answered from `consent`, a window wait or a delay moves the moment on.
 * Pure. The send-time guard is not applied here: the caller decides the
 * text with `decideSend`, as the engine does at that moment.
 */
export function firstTextOf(
  machine: FlowMachine,
  input: { start: Date; consent: ConsentLevel; contact: ContactLocation; vars: Record<string, unknown> },
): FirstText {
  let at = input.start;
  let consent = input.consent;
  let result: StepResult = startRun(machine, 'preview', { vars: input.vars, contact: {} });
  // A consent check that found none: a run that then ends was stopped by consent, not by the flow's shape.
  let missingConsent: string | null = null;
  const timers = new Map<string, { due: number; event: AnyEventObject }>();
  // Events answered at once, delivered one step each in order (as the engine's inbox does).
  const queue: AnyEventObject[] = [];
  for (let step = 1; step <= MAX_STEPS; step++) {
    for (const t of result.timers) {
      if (t.op === 'schedule') timers.set(t.key, { due: at.getTime() + t.delayMs, event: t.event });
      else timers.delete(t.key);
    }
    for (const effect of result.effects) {
      const plan = planEffect(effect, { now: at, consent, contact: input.contact, onRecord: {}, scope: {} });
      switch (plan.do) {
        case 'send':
        case 'verify':
        case 'charge':
          return { text: plan.text, at };
        case 'answer':
          if (plan.event.type === 'consent.missing' && effect.type === 'checkConsent')
            missingConsent = `no ${effect.params.purpose} consent ${consent === 'revoked' ? '(revoked: a STOP with no START since)' : 'on record'}: the flow's consent check ends the run before its first text`;
          queue.push(plan.event);
          break;
        case 'wait':
          at = plan.until;
          queue.push(plan.event);
          break;
        case 'stall':
          return { none: plan.reason, rule: 'flow' };
        case 'record-consent':
          if (consent !== 'granted') consent = plan.purpose === 'marketing' ? 'granted' : 'informational';
          break;
        case 'nothing':
          break;
        case 'end':
          return missingConsent
            ? { none: missingConsent, rule: 'consent-required' }
            : { none: 'the flow ends before it sends a text', rule: 'flow' };
        default: {
          const unknown: never = plan;
          throw new Error(`plan ${JSON.stringify(unknown)} is not handled`);
        }
      }
    }
    let next = queue.shift();
    if (!next) {
      // Nothing answers at once: the earliest timer fires (a delay), else the run waits for the contact.
      const due = [...timers.entries()].sort((a, b) => a[1].due - b[1].due)[0];
      if (!due)
        return missingConsent
          ? { none: missingConsent, rule: 'consent-required' }
          : { none: 'the run waits for the contact before any text', rule: 'flow' };
      timers.delete(due[0]);
      at = new Date(Math.max(at.getTime(), due[1].due));
      next = due[1].event;
    }
    result = stepRun(machine, 'preview', result.snapshot, next, step);
  }
  return { none: `no text within ${MAX_STEPS} steps`, rule: 'flow' };
}
