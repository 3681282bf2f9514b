import { describe, expect, it } from 'vitest';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import appointmentReminder from '@/workflows/appointment-reminder.json';
import payByText from '@/workflows/pay-by-text.json';
import {
  advanceToNextTimer,
  consentOf,
  currentNodeId,
  nextDue,
  simulatePayment,
  simulateReply,
  simulationMachine,
  startSimulation,
  type VirtualContact,
} from './simulation';

function load(raw: unknown): FlowDocument {
  const parsed = parseFlow(raw);
  if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
  return parsed.flow;
}

const payFlow = load(payByText);
const payMachine = simulationMachine(payFlow);
const newYorker: VirtualContact = { phone: '+12125550100', zone: 'America/New_York', zip: '10001', consent: 'missing', firstName: 'Ana' };
const outbound = (sim: { messages: { direction: string; body: string }[] }) =>
  sim.messages.filter((m) => m.direction === 'out').map((m) => m.body);

describe('simulating pay-by-text', () => {
  const start = new Date('2026-03-10T14:00:00Z'); // 10:00 in New York

  it('goes from the notice to the receipt: notice, period, ZIP check, link, paid, receipt', () => {
    let sim = startSimulation(payMachine, {
      flow: payFlow,
      contact: newYorker,
      start,
      vars: { amount_due: '42.50', invoice_number: 'A-17', office_phone: '555-0100' },
    });
    expect(outbound(sim)).toEqual([expect.stringMatching(/^Acme Dental: For your convenience and safety/)]);
    expect(currentNodeId(sim)).toBe('notice');
    expect(nextDue(sim)?.due).toBe('2026-03-12T14:00:00.000Z');

    sim = advanceToNextTimer(payMachine, sim); // the notice period ends without a STOP
    expect(consentOf(sim)).toBe('informational');
    expect(outbound(sim).at(-1)).toBe(
      'Acme Dental: your bill of $42.50 is ready. To pay by text, reply with the 5-digit ZIP code on your account.',
    );

    sim = simulateReply(payMachine, sim, '10001');
    expect(sim.verified).toBe(true);
    expect(outbound(sim).at(-1)).toBe(
      'Thank you. Pay securely here: https://pay.optline.test/sim/pay (the link works for 3 days). We will never ask for card details by text.',
    );

    sim = simulatePayment(payMachine, sim, 'paid');
    expect(outbound(sim).at(-1)).toBe(
      'Acme Dental: payment of $42.50 received. Thank you! Your receipt: https://pay.optline.test/receipt/sim',
    );
    expect(sim.status).toBe('ended');
    expect(currentNodeId(sim)).toBe('paid');
  });

  it('ends everything at once on STOP, confirms once, and sends nothing after', () => {
    let sim = startSimulation(payMachine, { flow: payFlow, contact: newYorker, start, vars: { amount_due: '42.50' } });
    sim = simulateReply(payMachine, sim, 'Stop texting me');
    expect(sim.status).toBe('stopped');
    expect(consentOf(sim)).toBe('revoked');
    expect(outbound(sim).at(-1)).toBe('Acme Dental: You are unsubscribed and will receive no more messages. Reply START to resubscribe.');
    expect(nextDue(sim)).toBeNull();
    const count = sim.messages.length;
    sim = advanceToNextTimer(payMachine, sim);
    expect(sim.messages.length).toBe(count);
  });

  it('fails the identity check after the allowed wrong answers and takes the failed path', () => {
    let sim = startSimulation(payMachine, {
      flow: payFlow,
      contact: newYorker,
      start,
      vars: { amount_due: '10', office_phone: '555-0100' },
    });
    sim = advanceToNextTimer(payMachine, sim);
    sim = simulateReply(payMachine, sim, '99999');
    expect(outbound(sim).at(-1)).toBe("That doesn't match our records. Please try again (2 attempts left).");
    sim = simulateReply(payMachine, sim, '99998');
    sim = simulateReply(payMachine, sim, '99997');
    expect(sim.verified).toBe(false);
    expect(outbound(sim).at(-1)).toBe(
      "Acme Dental: we couldn't confirm your details, so no payment link was sent. Please call us at 555-0100.",
    );
    expect(currentNodeId(sim)).toBe('unpaid');
  });

  it("holds a text for quiet hours and says until when, in the contact's zone", () => {
    const chicago: VirtualContact = { phone: '+13125550100', zone: 'America/Chicago', consent: 'missing' };
    let sim = startSimulation(payMachine, { flow: payFlow, contact: chicago, start: new Date('2026-03-10T11:00:00Z') }); // 06:00 in Chicago
    expect(outbound(sim)).toEqual([]);
    expect(nextDue(sim)?.label).toBe('Held until 08:00 (America/Chicago)');
    sim = advanceToNextTimer(payMachine, sim);
    expect(sim.now).toBe('2026-03-10T13:00:00.000Z');
    expect(outbound(sim)).toHaveLength(1);
  });

  it('asks once, naming the brand, about a reply that may be an opt-out and that the flow does not take', () => {
    let sim = startSimulation(payMachine, { flow: payFlow, contact: newYorker, start, vars: { amount_due: '42.50' } });
    sim = advanceToNextTimer(payMachine, sim);
    sim = simulateReply(payMachine, sim, '10001');
    sim = simulateReply(payMachine, sim, 'can I cancel the order and pay later?');
    expect(outbound(sim).at(-1)).toBe('Reply STOP to stop all texts from Acme Dental.');
    expect(consentOf(sim)).toBe('informational');
    expect(sim.status).toBe('running');
  });

  it('answers HELP with the brand and STOP instructions without moving the run', () => {
    let sim = startSimulation(payMachine, {
      flow: payFlow,
      contact: newYorker,
      start,
      keywordTexts: { helpText: 'Questions? Call 555-0100. Reply STOP to opt out. Msg & data rates may apply.' },
    });
    sim = simulateReply(payMachine, sim, 'help');
    expect(outbound(sim).at(-1)).toBe('Acme Dental: Questions? Call 555-0100. Reply STOP to opt out. Msg & data rates may apply.');
    expect(currentNodeId(sim)).toBe('notice');
  });
});

describe('simulating the appointment reminder', () => {
  const flow = load(appointmentReminder);
  const machine = simulationMachine(flow);
  const vars = { appointment_date: 'March 11', appointment_time: '3:00 PM', office_phone: '555-0100' };

  it('skips a contact without consent on file', () => {
    const sim = startSimulation(machine, {
      flow,
      contact: { ...newYorker, consent: 'missing' },
      start: new Date('2026-03-10T14:00:00Z'),
      vars,
    });
    expect(outbound(sim)).toEqual([]);
    expect(currentNodeId(sim)).toBe('no-consent');
    expect(sim.status).toBe('ended');
  });

  it('confirms on "C" and answers at once, even late in the evening', () => {
    let sim = startSimulation(machine, {
      flow,
      contact: { ...newYorker, consent: 'informational' },
      start: new Date('2026-03-10T14:00:00Z'),
      vars,
    });
    expect(outbound(sim)).toHaveLength(1);
    sim = { ...sim, now: '2026-03-11T02:30:00.000Z' }; // 22:30 in New York: the contact writes late
    sim = simulateReply(machine, sim, 'C');
    expect(outbound(sim).at(-1)).toBe("Thanks, Ana! You're confirmed for 3:00 PM tomorrow. See you then.");
    expect(sim.messages.at(-1)!.at).toBe('2026-03-11T02:30:00.000Z');
    expect(sim.status).toBe('ended');
  });
});
