import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyWindow } from '@/lib/compliance/policy-window';
import { consentCovers } from '@/lib/compliance/types';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { quietHoursOf } from '@/lib/flow/catalog';
import { parseFlow } from '@/lib/flow/parse';
import { arbitraryFlow } from '@/lib/flow/testing/arbitrary-flow';
import {
  advanceToNextTimer,
  simulatePayment,
  simulateReply,
  simulationMachine,
  startSimulation,
  type SimState,
  type VirtualContact,
} from './simulation';

/**
 * Soundness of the static analysis (issue 3, item 5): whenever the analyzer
 * reports no error, running the compiled machine — with only the deferral
 * the flow itself asks for, and no send-time guard — never sends without
 * consent for the purpose, never sends-now outside the policy's window unless
 * answering the contact, and never asks for payment before identity is
 * verified. Random flows, random event schedules, random start instants
 * including daylight-saving days, in New York and in Phoenix.
 *
 * The simulator is the runtime's interpreter under a virtual clock; that it
 * sends what the engine sends under the engine's clock is two-clocks.test.ts.
 */

const ZONES = ['America/New_York', 'America/Phoenix'] as const;
// Ordinary days and both 2026 US transition days (8 March, 1 November), plus 2027's.
const DAYS = ['2026-01-15', '2026-03-07', '2026-03-08', '2026-06-20', '2026-10-31', '2026-11-01', '2027-03-14', '2027-11-07'];

const startInstant = fc
  .record({ day: fc.constantFrom(...DAYS), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) })
  .map(({ day, minute }) => new Date(Date.parse(`${day}T00:00:00Z`) + (minute + 5 * 60) * 60_000));

type Action = { reply: string } | 'advance' | 'pay' | 'fail';
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('advance' as const) },
  { weight: 4, arbitrary: fc.constantFrom('yes', 'no', 'y', 'maybe later', '12345', '99999').map((reply) => ({ reply })) },
  { weight: 1, arbitrary: fc.constantFrom('pay' as const, 'fail' as const) },
);

function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(
    at,
  );
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return get('hour') * 60 + get('minute');
}

/** Every violation of the three guarantees in a finished simulation. */
function violations(sim: SimState, policy: 'federal' | 'strictest', zone: string): string[] {
  const found: string[] = [];
  for (const send of sim.sends) {
    if (send.kind === 'system') continue;
    if (send.kind !== 'consent' && !consentCovers(send.consentAtSend, send.purpose)) {
      found.push(`${send.nodeId} sent ${send.purpose} at ${send.at} with consent "${send.consentAtSend}"`);
    }
    if (send.sendNow && !send.answering) {
      const window = policyWindow(policy, send.purpose);
      const local = localMinutes(new Date(send.at), zone);
      if (!window || local < window.from || local >= window.to)
        found.push(`${send.nodeId} sent now at ${send.at} (${local} min local in ${zone}) outside the window`);
    }
    if (send.kind === 'payment' && !send.verifiedBefore) found.push(`${send.nodeId} asked for payment before identity was verified`);
  }
  return found;
}

describe('the analyzer is sound', () => {
  it('never lets an error-free flow send without consent, send-now out of hours, or ask for payment unverified', () => {
    let proven = 0;
    fc.assert(
      fc.property(
        arbitraryFlow(7),
        startInstant,
        fc.constantFrom(...ZONES),
        fc.constantFrom('missing' as const, 'informational' as const, 'granted' as const),
        fc.array(action, { maxLength: 14 }),
        (doc, start, zone, consent, script) => {
          const parsed = parseFlow(doc);
          if (!parsed.ok) return;
          const analysis = analyzeFlow(parsed.flow);
          if (analysis.problems.some((p) => p.severity === 'error')) return;
          proven++;
          const machine = simulationMachine(parsed.flow);
          const contact: VirtualContact = { phone: '+12125550100', zone, zip: '12345', consent };
          let sim = startSimulation(machine, { flow: parsed.flow, contact, start, guard: 'none' });
          for (const step of script) {
            if (sim.status !== 'running') break;
            if (step === 'advance') sim = advanceToNextTimer(machine, sim);
            else if (step === 'pay') sim = simulatePayment(machine, sim, 'paid');
            else if (step === 'fail') sim = simulatePayment(machine, sim, 'failed');
            else sim = simulateReply(machine, sim, step.reply);
          }
          expect(violations(sim, quietHoursOf(parsed.flow.policy), zone)).toEqual([]);
        },
      ),
      { numRuns: 400, seed: 20261125 },
    );
    // The property must not hold vacuously: a good share of random flows pass the analyzer.
    expect(proven).toBeGreaterThan(40);
  });
});
