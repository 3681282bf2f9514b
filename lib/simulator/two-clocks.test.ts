import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentLevel } from '@/lib/compliance/types';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { runRepository } from '@/lib/db/run-repository';
import { analyzeFlow } from '@/lib/flow/analyze/index';
import { nodeIdOfState } from '@/lib/flow/machine-events';
import { parseFlow } from '@/lib/flow/parse';
import type { FlowDocument } from '@/lib/flow/schema';
import { arbitraryFlow } from '@/lib/flow/testing/arbitrary-flow';
import { activeVersion, engineHarness, grant } from '@/lib/runtime/testing/engine-harness';
import appointmentReminder from '@/workflows/appointment-reminder.json';
import payByText from '@/workflows/pay-by-text.json';
import {
  advanceToNextTimer,
  currentNodeId,
  nextDue,
  simulatePayment,
  simulateReply,
  simulationMachine,
  startSimulation,
  type SimState,
} from './simulation';

/**
 * One interpreter under two clocks: the same flow, contact and script run
 * through the simulator (memory, a virtual clock) and through the engine
 * (Postgres, graphile-worker jobs, the sandbox providers, the engine's
 * clock) must send the same texts, in the same order, and end at the same
 * node with the same status. Links and receipts differ by design (the
 * sandbox issues real tokens) and are compared as placeholders.
 */

const database = useTestDatabase();
const BRAND = 'Acme Dental';

beforeAll(async () => {
  await database().pool.query(`update settings set brand = $1`, [BRAND]);
});

type Action = { reply: string } | 'advance' | 'pay';

interface Scenario {
  name: string;
  flow: FlowDocument;
  start: string;
  zone: string;
  zip?: string;
  consent: ConsentLevel;
  vars?: Record<string, string>;
  script: Action[];
}

function load(raw: unknown): FlowDocument {
  const parsed = parseFlow(raw);
  if (!parsed.ok) throw new Error(parsed.problems[0]!.message);
  return parsed.flow;
}

/** Texts as compared: payment links and receipts as placeholders. */
const comparable = (bodies: readonly string[]) =>
  bodies.map((b) => b.replace(/https?:\/\/\S+\/receipt\/\S+/g, '<receipt>').replace(/https?:\/\/\S+\/(?:pay|sim)\/[^\s)]+/g, '<link>'));

const simStatus = (sim: SimState) => ({ running: 'active', ended: 'done', stopped: 'stopped' })[sim.status];

function simulate(s: Scenario) {
  const machine = simulationMachine(s.flow);
  let sim = startSimulation(machine, {
    flow: s.flow,
    contact: { phone: '+13125550100', zone: s.zone, zip: s.zip, consent: s.consent, firstName: 'Ana' },
    start: new Date(s.start),
    vars: s.vars,
    keywordTexts: { brand: BRAND },
  });
  /** How far the virtual clock moved for each `advance` (the engine's clock moves as far). */
  const advances: number[] = [];
  for (const action of s.script) {
    if (sim.status !== 'running') break;
    if (action === 'advance') {
      const due = nextDue(sim);
      advances.push(due ? Date.parse(due.due) - Date.parse(sim.now) : 0);
      sim = advanceToNextTimer(machine, sim);
    } else if (action === 'pay') sim = simulatePayment(machine, sim, 'paid');
    else sim = simulateReply(machine, sim, action.reply);
  }
  const texts = sim.messages.filter((m) => m.direction === 'out').map((m) => m.body);
  return { texts: comparable(texts), node: currentNodeId(sim), status: simStatus(sim), advances };
}

async function runEngine(s: Scenario, advances: readonly number[]) {
  const t = engineHarness(database().pool);
  t.at(s.start);
  const versionId = await activeVersion(t.pool, s.flow, `${s.flow.id}-${crypto.randomUUID()}`);
  const phone = uniquePhone();
  const contact = await makeContact(t.pool, { phone, name: 'Ana Diaz', zone: s.zone, ...(s.zip ? { zip: s.zip } : {}) });
  if (s.consent === 'granted') await grant(t.pool, contact.id, 'marketing', '2026-01-01T00:00:00Z');
  if (s.consent === 'informational') await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
  const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: s.vars });
  await t.work();
  const run = async () => (await runRepository(t.pool).getRun(runId))!;
  let sid = 0;
  let advanced = 0;
  for (const action of s.script) {
    if ((await run()).status !== 'active') break;
    if (action === 'advance') {
      await t.pass(advances[advanced++] ?? 0);
    } else if (action === 'pay') {
      const { rows } = await t.pool.query('select * from payments where run_id = $1 order by created_at desc limit 1', [runId]);
      const p = rows[0];
      if (!p) continue;
      const signed = t.payments.completeSandboxPayment({
        providerId: p.provider_session_id,
        runId,
        effectId: p.effect_id,
        amountMinor: Number(p.amount_minor),
        currency: p.currency,
      });
      await t.engine.receivePaymentEvent(await t.payments.parseEvent(signed.rawBody, signed.signature));
    } else {
      await t.engine.receiveInbound({ providerId: `SM${runId.replace(/-/g, '')}${sid++}`, from: phone, body: action.reply });
    }
    await t.work();
  }
  const final = await run();
  return { texts: comparable(t.texts(phone)), node: nodeIdOfState(final.snapshot.value), status: final.status };
}

/** Runs both shells and compares them; returns how many texts they sent. */
async function expectSameRun(s: Scenario): Promise<number> {
  const sim = simulate(s);
  const engine = await runEngine(s, sim.advances);
  expect({ texts: engine.texts, node: engine.node, status: engine.status }, s.name).toEqual({
    texts: sim.texts,
    node: sim.node,
    status: sim.status,
  });
  return sim.texts.length;
}

const payFlow = load(payByText);
const reminder = load(appointmentReminder);
const payVars = { amount_due: '42.50', invoice_number: 'INV-7', office_phone: '(555) 010-0100' };

describe('the simulator and the engine are one interpreter under two clocks', () => {
  const scenarios: Scenario[] = [
    {
      name: 'pay-by-text: notice, ZIP, link, paid, receipt',
      flow: payFlow,
      start: '2026-03-10T15:00:00Z', // 10:00 in Chicago
      zone: 'America/Chicago',
      zip: '60601',
      consent: 'missing',
      vars: payVars,
      script: ['advance', { reply: '60601' }, 'pay'],
    },
    {
      name: 'pay-by-text: held for quiet hours, then three wrong ZIPs',
      flow: payFlow,
      start: '2026-03-10T11:00:00Z', // 05:00 in Chicago
      zone: 'America/Chicago',
      zip: '60601',
      consent: 'missing',
      vars: payVars,
      script: ['advance', 'advance', { reply: '99999' }, { reply: '99998' }, { reply: '99997' }],
    },
    {
      name: 'pay-by-text: HELP, then STOP during the notice period',
      flow: payFlow,
      start: '2026-03-10T15:00:00Z',
      zone: 'America/Chicago',
      consent: 'missing',
      vars: payVars,
      script: [{ reply: 'help' }, { reply: 'Stop texting me' }, 'advance'],
    },
    {
      name: 'pay-by-text: a reply that may be a revocation, while the run waits on a timer, is asked about once',
      flow: payFlow,
      start: '2026-03-10T15:00:00Z',
      zone: 'America/Chicago',
      zip: '60601',
      consent: 'missing',
      vars: payVars,
      script: ['advance', { reply: '60601' }, { reply: 'can I cancel the order and pay later?' }],
    },
    {
      name: 'appointment reminder: confirmed',
      flow: reminder,
      start: '2026-03-10T14:00:00Z',
      zone: 'America/New_York',
      consent: 'informational',
      vars: { appointment_date: 'March 11', appointment_time: '3:00 PM', office_phone: '555-0100' },
      script: [{ reply: 'C' }],
    },
    {
      name: 'appointment reminder: no answer, then the timeout',
      flow: reminder,
      start: '2026-03-10T14:00:00Z',
      zone: 'America/New_York',
      consent: 'informational',
      vars: { appointment_date: 'March 11', appointment_time: '3:00 PM', office_phone: '555-0100' },
      script: ['advance', 'advance'],
    },
    {
      name: 'appointment reminder: no consent on file',
      flow: reminder,
      start: '2026-03-10T14:00:00Z',
      zone: 'America/New_York',
      consent: 'missing',
      vars: { appointment_date: 'March 11', appointment_time: '3:00 PM', office_phone: '555-0100' },
      script: [{ reply: 'C' }],
    },
  ];

  for (const s of scenarios) it(s.name, () => expectSameRun(s));

  it('sends the same texts for random flows the analyzer passes, with random replies and waits', async () => {
    const script = fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant<Action>('advance') },
        { weight: 3, arbitrary: fc.constantFrom('yes', 'no', 'maybe later', '12345').map((reply): Action => ({ reply })) },
        { weight: 1, arbitrary: fc.constant<Action>('pay') },
      ),
      { maxLength: 6 },
    );
    // Flows that ask for a one-time code are left out: the engine draws its code at random.
    const samples = fc
      .sample(fc.tuple(arbitraryFlow(6), fc.constantFrom<ConsentLevel>('missing', 'informational', 'granted'), script), {
        numRuns: 400,
        seed: 20261206,
      })
      .flatMap(([doc, consent, actions]) => {
        const parsed = parseFlow(doc);
        if (!parsed.ok || analyzeFlow(parsed.flow).problems.some((p) => p.severity === 'error')) return [];
        if (parsed.flow.nodes.some((n) => n.type === 'verify.identity' && n.data.method === 'otp')) return [];
        return [{ flow: parsed.flow, consent, actions }];
      })
      .slice(0, 20);
    expect(samples.length).toBeGreaterThanOrEqual(8);
    let texts = 0;
    for (const [i, { flow, consent, actions }] of samples.entries()) {
      texts += await expectSameRun({
        name: `random flow ${i}: ${JSON.stringify(actions)}`,
        flow,
        start: '2026-06-16T15:30:00Z', // 10:30 in Chicago, a Tuesday
        zone: 'America/Chicago',
        zip: '12345',
        consent,
        vars: { amount_due: '10' },
        script: actions,
      });
    }
    // Not vacuous: the random runs do send.
    console.info(`two clocks: ${samples.length} random flows, ${texts} texts compared`);
    expect(texts).toBeGreaterThan(0);
  }, 240_000);
});
