import { runMigrations } from 'graphile-worker';
import type pg from 'pg';
import payByText from '@/workflows/pay-by-text.json';
import { makeContact } from '@/lib/db/testing/fixtures';
import { activeVersion, engineHarness, quietLogger } from '@/lib/runtime/testing/engine-harness';

const DAY = 24 * 3_600_000;
const VARS = { amount_due: '42.50', invoice_number: 'INV-7', office_phone: '(555) 010-0100' };

/** The runs of the scenario, and what a test needs to look at them. */
export interface RunScenario {
  flowId: string;
  /** Pays: notice → ZIP check (a wrong ZIP, then the right one) → link → paid → receipt → done. */
  paid: { runId: string; contactId: string; phone: string; token: string };
  /** Texts STOP after the first text: stopped. */
  stopped: { runId: string; contactId: string };
  /** Never answers: still waiting in the notice period. */
  silent: { runId: string; contactId: string };
}

/**
 * Three contacts in the pay-by-text flow through the real engine (sandbox
 * providers, graphile-worker jobs): one pays, one STOPs, one never replies.
 * The first text to the payer is reported delivered; the STOP-er's is not (their STOP says it arrived). The
 * runs' start times are then pinned to 2026-03-10, 11 and 12 (15:00 UTC), so
 * date filters do not depend on the day the test runs.
 */
export async function buildRunScenario(pool: pg.Pool, flowId = 'pay-by-text'): Promise<RunScenario> {
  await runMigrations({ pgPool: pool, logger: quietLogger });
  await pool.query(`update settings set brand = 'Acme Dental'`);
  const versionId = await activeVersion(pool, payByText, flowId);
  const t = engineHarness(pool);
  t.at('2026-03-10T15:00:00Z');
  const delivered = async (runId: string) => {
    const { rows } = await pool.query(
      `select provider_sid from messages where run_id = $1 and direction = 'outbound' order by created_at limit 1`,
      [runId],
    );
    await t.engine.receiveStatus({ providerId: rows[0].provider_sid as string, status: 'delivered' });
  };
  const enrol = async (fields: { name?: string; zip?: string }) => {
    const contact = await makeContact(pool, { ...fields, zone: 'America/Chicago' });
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: VARS });
    await t.work();
    return { runId, contactId: contact.id, phone: contact.phone! };
  };

  const payer = await enrol({ name: 'Ana Diaz', zip: '60601' });
  await delivered(payer.runId);
  // No delivery report for the STOP-er's text: its STOP is the proof it arrived (the dashboard counts it delivered).
  const stopper = await enrol({ name: 'Ben Stone' });
  await t.engine.receiveInbound({ providerId: 'SMstop-scenario', from: stopper.phone, body: 'STOP' });
  await t.work();

  // The payer's notice period passes without a STOP; the silent contact starts then, and stays in its notice period.
  await t.pass(3 * DAY);
  await t.work();
  const silent = await enrol({});
  // A wrong ZIP first (answered with "doesn't match, try again"), then the right one, a minute apart.
  await t.pass(60_000);
  await t.engine.receiveInbound({ providerId: 'SMzip-wrong-scenario', from: payer.phone, body: '60602' });
  await t.work();
  await t.pass(60_000);
  await t.engine.receiveInbound({ providerId: 'SMzip-scenario', from: payer.phone, body: '60601' });
  await t.work();
  const token = /\/pay\/([A-Za-z0-9_-]+)/.exec(t.texts(payer.phone).at(-1) ?? '')?.[1];
  if (!token) throw new Error('the payer got no payment link');
  const { rows } = await pool.query(`select provider_session_id, effect_id, amount_minor, currency from payments where run_id = $1`, [
    payer.runId,
  ]);
  const p = rows[0];
  const signed = t.payments.completeSandboxPayment({
    providerId: p.provider_session_id,
    runId: payer.runId,
    effectId: p.effect_id,
    amountMinor: Number(p.amount_minor),
    currency: p.currency,
  });
  await t.engine.receivePaymentEvent(await t.payments.parseEvent(signed.rawBody, signed.signature));
  await t.work();

  const pin = [
    [payer.runId, '2026-03-10T15:00:00Z'],
    [stopper.runId, '2026-03-11T15:00:00Z'],
    [silent.runId, '2026-03-12T15:00:00Z'],
  ] as const;
  for (const [id, at] of pin) await pool.query('update runs set created_at = $2 where id = $1', [id, at]);
  return {
    flowId,
    paid: { runId: payer.runId, contactId: payer.contactId, phone: payer.phone, token },
    stopped: { runId: stopper.runId, contactId: stopper.contactId },
    silent: { runId: silent.runId, contactId: silent.contactId },
  };
}
