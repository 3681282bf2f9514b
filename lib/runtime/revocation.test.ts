import { beforeAll, describe, expect, it } from 'vitest';
import { consentRepository } from '@/lib/db/consent-repository';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { engineHarness, grant } from './testing/engine-harness';

/**
 * Va. Code § 59.1-514 (from 1 January 2026): a STOP binds for ten years
 * unless the consumer consents again. Nothing re-grants by expiry; only new
 * evidence does, and a START re-grants informational consent only
 * (docs/compliance.md, "Virginia: a STOP binds for ten years").
 */

const database = useTestDatabase();
const YEAR = 365 * 24 * 3_600_000;

beforeAll(async () => {
  await database().pool.query(`update settings set brand = 'Acme Dental'`);
});

describe('a STOP in Virginia', () => {
  it('still binds eleven years later; a START then re-grants informational consent only, with the START as its evidence', async () => {
    const t = engineHarness(database().pool);
    // In the past of any run of this test: the ledger refuses events dated after the database's clock.
    t.at('2015-02-02T15:00:00Z');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, state: 'VA', zone: 'America/New_York' });
    await grant(t.pool, contact.id, 'marketing', '2015-01-05T00:00:00Z');
    const ledger = consentRepository(t.pool);
    expect(await ledger.currentConsent(contact.id)).toBe('granted');

    expect(await t.engine.receiveInbound({ providerId: 'SMva-stop', from: phone, body: 'stop texting me' })).toEqual({ outcome: 'stop' });
    await t.work();
    expect(t.texts(phone)).toEqual(['Acme Dental: You are unsubscribed and will receive no more messages. Reply START to resubscribe.']);

    await t.pass(11 * YEAR);
    await t.work();
    expect(await ledger.currentConsent(contact.id)).toBe('revoked');

    expect(await t.engine.receiveInbound({ providerId: 'SMva-start', from: phone, body: 'START' })).toEqual({ outcome: 'start' });
    await t.work();
    expect(await ledger.currentConsent(contact.id)).toBe('informational');
    const regrant = (await ledger.listConsentEvents(contact.id)).at(-1);
    expect(regrant).toMatchObject({ action: 'grant', purpose: 'informational', reply: 'START', sourceRef: 'SMva-start' });
  });
});
