import { beforeAll, describe, expect, it } from 'vitest';
import payByText from '@/workflows/pay-by-text.json';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { refundRepository } from '@/lib/db/refund-repository';
import { runRepository } from '@/lib/db/run-repository';
import { hashPaymentToken } from '@/lib/providers/payment-token';
import { activeVersion, engineHarness } from './testing/engine-harness';

const database = useTestDatabase();
const DAY = 24 * 3_600_000;
const VARS = { amount_due: '42.50', invoice_number: 'INV-7', office_phone: '(555) 010-0100' };

let versionId: string;
beforeAll(async () => {
  await database().pool.query(`update settings set brand = 'Acme Dental'`);
  versionId = await activeVersion(database().pool, payByText, 'pay-by-text');
});

/** A contact in Chicago with a ZIP on file, at 10:00 on a Tuesday there, in the pay-by-text flow. */
async function start(zip = '60601', vars: Record<string, string> = VARS) {
  const t = engineHarness(database().pool);
  t.at('2026-03-10T15:00:00Z');
  const phone = uniquePhone();
  const contact = await makeContact(t.pool, { phone, zip, zone: 'America/Chicago' });
  const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars });
  await t.work();
  let sid = 0;
  const reply = async (body: string) => {
    const outcome = await t.engine.receiveInbound({ providerId: `SM${runId.replace(/-/g, '')}${sid++}`, from: phone, body });
    await t.work();
    return outcome;
  };
  const run = async () => (await runRepository(t.pool).getRun(runId))!;
  const payment = async () => {
    const { rows } = await t.pool.query('select * from payments where run_id = $1 order by created_at desc limit 1', [runId]);
    return rows[0];
  };
  /** The notice period passes without a STOP: informational consent, then the ZIP check. */
  const throughNotice = async () => {
    await t.pass(3 * DAY);
    await t.work();
  };
  /** The link in the last text, as the contact would open it. */
  const link = () => /https?:\/\/\S+\/pay\/([A-Za-z0-9_-]+)/.exec(t.texts(phone).at(-1) ?? '')?.[1];
  const pay = async (checks?: {
    postalCode: 'pass' | 'fail' | 'unavailable' | 'unchecked';
    cvc: 'pass' | 'fail' | 'unavailable' | 'unchecked';
  }) => {
    const p = await payment();
    const subject = {
      providerId: p.provider_session_id,
      runId,
      effectId: p.effect_id,
      amountMinor: Number(p.amount_minor),
      currency: p.currency,
    };
    const signed = t.payments.completeSandboxPayment(subject, checks);
    const event = await t.payments.parseEvent(signed.rawBody, signed.signature);
    const outcome = await t.engine.receivePaymentEvent(event);
    await t.work();
    return { outcome, event };
  };
  return { t, phone, contact, runId, reply, run, payment, throughNotice, link, pay, texts: () => t.texts(phone) };
}

describe('pay by text, end to end through the sandbox', () => {
  it('notice → no STOP → ZIP check → link → paid → receipt', async () => {
    const s = await start();
    expect(s.texts()).toEqual([expect.stringContaining('we now offer the option to pay your bill through text message')]);
    await s.throughNotice();
    expect(s.texts().at(-1)).toBe(
      'Acme Dental: your bill of $42.50 is ready. To pay by text, reply with the 5-digit ZIP code on your account.',
    );

    expect(await s.reply('60601')).toEqual({ outcome: 'reply' });
    const token = s.link();
    expect(token).toBeDefined();
    const p = await s.payment();
    expect(p).toMatchObject({
      status: 'pending',
      amount_minor: '4250',
      currency: 'usd',
      description: 'Acme Dental invoice INV-7',
      token_hash: hashPaymentToken(token!),
    });
    // The token is kept only as its hash: the stored copy of the text has the link masked.
    const stored = await s.t.pool.query(`select body from messages where run_id = $1 and body like '%/pay/%'`, [s.runId]);
    expect(stored.rows.map((r) => r.body)).toEqual([expect.stringContaining('http://localhost:3000/pay/… (the link works for 3 days)')]);

    const { outcome, event } = await s.pay();
    expect(outcome).toEqual({ outcome: 'paid' });
    expect(s.texts().at(-1)).toMatch(
      /^Acme Dental: payment of \$42\.50 received\. Thank you! Your receipt: http:\/\/localhost:3000\/pay\/receipt\/[0-9a-f-]{36}$/,
    );
    expect((await s.run()).status).toBe('done');
    expect((await s.payment()).verification).toEqual({ cardChecks: { postalCode: 'pass', cvc: 'pass' } });

    // The same event again (a webhook retried): nothing more happens.
    expect(await s.t.engine.receivePaymentEvent(event)).toEqual({ outcome: 'settled' });
    await s.t.work();
    expect(s.texts()).toHaveLength(4);
  });

  it('charges no amount from a variable over the cap a literal amount is held to, and sends no link', async () => {
    const s = await start('60601', { ...VARS, amount_due: '1000000.01' });
    await s.throughNotice();
    await s.reply('60601');
    expect(await s.payment()).toBeUndefined();
    expect(s.link()).toBeUndefined();
    expect(s.texts().at(-1)).toBe(
      'Acme Dental: your payment did not go through and you have not been charged. Please call us at (555) 010-0100 to pay another way.',
    );
    const { rows } = await s.t.pool.query(`select event_type from run_steps where run_id = $1 order by id`, [s.runId]);
    expect(rows.map((r) => r.event_type)).toContain('payment.failed');
    expect((await s.run()).status).toBe('done');
  });

  it('charges the largest amount allowed to the cent', async () => {
    const s = await start('60601', { ...VARS, amount_due: '1000000.00' });
    await s.throughNotice();
    await s.reply('60601');
    expect(await s.payment()).toMatchObject({ status: 'pending', amount_minor: '100000000', currency: 'usd' });
  });

  it('fails the identity check after three wrong ZIP codes, and sends no link', async () => {
    const s = await start();
    await s.throughNotice();
    await s.reply('10001');
    expect(s.texts().at(-1)).toBe("That doesn't match our records. Please try again (2 attempts left).");
    await s.reply('zip is 94105');
    expect(s.texts().at(-1)).toBe("That doesn't match our records. Please try again (1 attempt left).");
    await s.reply('30301');
    expect(s.texts().at(-1)).toBe(
      "Acme Dental: we couldn't confirm your details, so no payment link was sent. Please call us at (555) 010-0100.",
    );
    expect(await s.payment()).toBeUndefined();
    expect((await s.run()).status).toBe('done');
  });

  it('takes the failed path when the postal-code check fails, with the reason', async () => {
    const s = await start();
    await s.throughNotice();
    await s.reply('60601-1234');
    const { outcome } = await s.pay({ postalCode: 'fail', cvc: 'pass' });
    expect(outcome).toEqual({ outcome: 'failed' });
    expect(await s.payment()).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('postal code') });
    expect(s.texts().at(-1)).toBe(
      'Acme Dental: your payment did not go through and you have not been charged. Please call us at (555) 010-0100 to pay another way.',
    );
    // The provider had taken the money: the text is made true by a refund, made once.
    const p = await s.payment();
    expect(await refundRepository(s.t.pool).ofPayment(p.id)).toEqual([
      expect.objectContaining({
        providerSessionId: p.provider_session_id,
        reason: 'postal code check failed',
        status: 'refunded',
        providerRefundId: expect.stringMatching(/^sbref_/),
      }),
    ]);
    expect((await s.pay({ postalCode: 'fail', cvc: 'pass' })).outcome).toEqual({ outcome: 'settled' });
    expect(await refundRepository(s.t.pool).ofPayment(p.id)).toHaveLength(1);
  });

  it('refunds a payment made on a link that was replaced, and leaves the run on the new link', async () => {
    const s = await start();
    await s.throughNotice();
    await s.reply('60601');
    const first = await s.payment();
    // Three days without paying: the link expires and a new one replaces it.
    await s.t.pass(3 * DAY);
    await s.t.work();
    expect(s.texts().at(-1)).toMatch(
      /^Pay securely here: http:\/\/localhost:3000\/pay\/[A-Za-z0-9_-]{43} \(the link works for 3 days\)\.$/,
    );
    const second = await s.payment();
    expect(second.id).not.toBe(first.id);
    const replaced = (await s.t.pool.query('select status from payments where id = $1', [first.id])).rows[0];
    expect(replaced.status).toBe('superseded');

    const subject = {
      providerId: first.provider_session_id,
      runId: s.runId,
      effectId: first.effect_id,
      amountMinor: Number(first.amount_minor),
      currency: first.currency,
    };
    const signed = s.t.payments.completeSandboxPayment(subject);
    const event = await s.t.payments.parseEvent(signed.rawBody, signed.signature);
    expect(await s.t.engine.receivePaymentEvent(event)).toEqual({ outcome: 'refunding' });
    await s.t.work();
    expect(await refundRepository(s.t.pool).ofPayment(first.id)).toEqual([
      expect.objectContaining({ status: 'refunded', reason: 'paid on a payment link that was already superseded' }),
    ]);
    expect(await s.t.engine.receivePaymentEvent(event)).toEqual({ outcome: 'settled' });
    // The run still waits on the new link, which stays payable.
    expect((await s.run()).status).toBe('active');
    expect((await s.payment()).status).toBe('pending');
    expect((await s.pay()).outcome).toEqual({ outcome: 'paid' });
    expect(await refundRepository(s.t.pool).ofPayment(second.id)).toEqual([]);
  });

  it('records card checks that were unavailable, and still pays', async () => {
    const s = await start();
    await s.throughNotice();
    await s.reply('60601');
    expect((await s.pay({ postalCode: 'unavailable', cvc: 'unchecked' })).outcome).toEqual({ outcome: 'paid' });
    expect((await s.payment()).verification).toEqual({ cardChecks: { postalCode: 'unavailable', cvc: 'unchecked' } });
  });

  it('fails the check at once when there is no ZIP on record', async () => {
    const t = engineHarness(database().pool);
    t.at('2026-03-10T15:00:00Z');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, zone: 'America/Chicago' });
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id, vars: VARS });
    await t.work();
    await t.pass(3 * DAY);
    await t.work();
    expect(t.texts(phone).at(-1)).toContain("we couldn't confirm your details");
    expect((await runRepository(t.pool).getRun(runId))?.status).toBe('done');
  });

  for (const when of ['notice', 'identity check', 'payment link'] as const) {
    it(`stops everything on STOP during the ${when}`, async () => {
      const s = await start();
      if (when !== 'notice') await s.throughNotice();
      if (when === 'payment link') await s.reply('60601');
      const before = s.texts().length;
      expect(await s.reply('STOP')).toEqual({ outcome: 'stop' });
      expect((await s.run()).status).toBe('stopped');
      expect(s.texts()).toHaveLength(before + 1);
      expect(s.texts().at(-1)).toContain('unsubscribed');
      // Time passes; nothing more is sent.
      await s.t.pass(7 * DAY);
      await s.t.work();
      expect(s.texts()).toHaveLength(before + 1);
    });
  }
});
