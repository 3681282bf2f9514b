import { describe, expect, it } from 'vitest';
import type { ConsentLevel } from '@/lib/compliance/types';
import { consentLevelOf } from '@/lib/compliance/types';
import { consentEventHash, consentRepository, type LedgerVerdict, type NewConsentEvent } from './consent-repository';
import { withTransaction, type Queryable } from './queryable';
import { makeContact } from './testing/fixtures';
import { createTestDatabase, useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

const OPT_IN_TEXT =
  'Acme Dental: reply YES to get offers by text, up to 4 msgs/month. Msg & data rates may apply. Reply HELP for help, STOP to cancel. Consent is not a condition of purchase.';

function grant(contactId: string, purpose: 'informational' | 'marketing', occurredAt: string): NewConsentEvent {
  return {
    contactId,
    action: 'grant',
    purpose,
    source: 'reply',
    channel: 'sms',
    textShown: OPT_IN_TEXT,
    reply: 'YES',
    recordedBy: 'system',
    occurredAt: new Date(occurredAt),
  };
}

function revoke(contactId: string, occurredAt: string, reply = 'STOP'): NewConsentEvent {
  return { contactId, action: 'revoke', source: 'keyword', channel: 'sms', reply, recordedBy: 'system', occurredAt: new Date(occurredAt) };
}

// Tests in this file share one ledger; each assertion about the chain looks at the whole of it.
describe('consent ledger', () => {
  it('appends events with their evidence and links each to the one before', async () => {
    const repo = consentRepository(db().pool);
    const contact = await makeContact(db().pool);
    const first = await repo.appendConsentEvent({
      ...grant(contact.id, 'marketing', '2026-03-10T14:00:00Z'),
      source: 'web_form',
      channel: 'web',
      reply: undefined,
      sourceRef: 'https://acme.example/join',
      details: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      recordedBy: 'user:42',
    });
    const second = await repo.appendConsentEvent(revoke(contact.id, '2026-03-11T09:30:00Z', 'Stop texting me'));
    expect(first).toMatchObject({
      action: 'grant',
      purpose: 'marketing',
      source: 'web_form',
      channel: 'web',
      textShown: OPT_IN_TEXT,
      reply: null,
      sourceRef: 'https://acme.example/join',
      details: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
      recordedBy: 'user:42',
      occurredAt: new Date('2026-03-10T14:00:00Z'),
    });
    expect(second).toMatchObject({ id: first.id + 1, action: 'revoke', purpose: 'all', reply: 'Stop texting me', prevHash: first.hash });
    expect(second.recordedAt.getTime()).toBeGreaterThanOrEqual(first.recordedAt.getTime());
    expect(await repo.listConsentEvents(contact.id)).toEqual([first, second]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const contact = await makeContact(db().pool);
    const event = await consentRepository(db().pool).appendConsentEvent(revoke(contact.id, '2026-03-11T09:30:00Z'));
    await expect(db().pool.query('update consent_events set reply = $1 where id = $2', ['START', event.id])).rejects.toThrow(
      'consent_events is append-only: UPDATE is not allowed',
    );
    await expect(db().pool.query('delete from consent_events where id = $1', [event.id])).rejects.toThrow(
      'consent_events is append-only: DELETE is not allowed',
    );
    await expect(db().pool.query('truncate consent_events cascade')).rejects.toThrow(
      'consent_events is append-only: TRUNCATE is not allowed',
    );
    await expect(db().pool.query('update consent_chain_head set last_id = 0')).rejects.toThrow('consent_chain_head moves only when');
    expect(await consentRepository(db().pool).listConsentEvents(contact.id)).toHaveLength(1);
  });

  it('refuses evidence that is not enough: a marketing grant without the text shown, a keyword without the words', async () => {
    const repo = consentRepository(db().pool);
    const contact = await makeContact(db().pool);
    await expect(
      repo.appendConsentEvent({ ...grant(contact.id, 'marketing', '2026-03-10T14:00:00Z'), textShown: undefined }),
    ).rejects.toThrow(/consent_events_marketing_needs_text_shown/);
    await expect(repo.appendConsentEvent({ ...revoke(contact.id, '2026-03-10T14:00:00Z'), reply: undefined })).rejects.toThrow(
      /consent_events_reply_needs_words/,
    );
    await expect(repo.appendConsentEvent(revoke(contact.id, '2099-01-01T00:00:00Z'))).rejects.toThrow(/consent_events_not_in_future/);
  });

  it('keeps one unbroken chain when many transactions append at once', async () => {
    const contacts = await Promise.all(Array.from({ length: 4 }, () => makeContact(db().pool)));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withTransaction(db().pool, async (tx) => {
          await consentRepository(tx).appendConsentEvent(grant(contacts[i % 4]!.id, 'informational', '2026-03-10T14:00:00Z'));
        }),
      ),
    );
    const { rows } = await db().pool.query<{ id: string; prev_hash: string; hash: string }>(
      'select id, prev_hash, hash from consent_events order by id',
    );
    rows.forEach((row, i) => {
      expect(Number(row.id)).toBe(i + 1);
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]!.hash);
    });
    expect(await consentRepository(db().pool).verifyLedger()).toEqual({ ok: true, count: rows.length });
  });

  it('verifies an intact ledger, recomputing each hash as the database does', async () => {
    const repo = consentRepository(db().pool);
    const contact = await makeContact(db().pool);
    // Text that would confuse a naive canonical form: separators, quotes, newlines, non-ASCII, a null marker.
    await repo.appendConsentEvent({
      ...grant(contact.id, 'marketing', '2026-03-10T14:00:00.123Z'),
      textShown: 'a|b\n"c" — ¿Sí? 🎉',
      reply: '-',
      details: { nested: { z: 1, a: [true, null] } },
    });
    const { rows } = await db().pool.query<{ hash: string; recomputed: string }>(
      'select hash, consent_event_hash(e) as recomputed from consent_events e',
    );
    for (const row of rows) expect(row.recomputed).toBe(row.hash);
    expect(await repo.verifyLedger()).toEqual({ ok: true, count: rows.length });
  });

  it('concurrent appends are serialised: the chain head never forks', async () => {
    const [a, b] = await Promise.all([makeContact(db().pool), makeContact(db().pool)]);
    const results = await Promise.all([
      consentRepository(db().pool).appendConsentEvent(grant(a.id, 'informational', '2026-03-10T14:00:00Z')),
      consentRepository(db().pool).appendConsentEvent(grant(b.id, 'informational', '2026-03-10T14:00:00Z')),
    ]);
    const [first, second] = results.sort((x, y) => x.id - y.id);
    expect(second!.prevHash).toBe(first!.hash);
  });

  it('appends many events in one statement as one unbroken chain, with the head at the last of them', async () => {
    const repo = consentRepository(db().pool);
    const contact = await makeContact(db().pool);
    const before = await repo.lastEventId();
    expect(
      await repo.appendConsentEvents(
        Array.from({ length: 2500 }, (_, i) => grant(contact.id, 'informational', `2026-03-10T14:00:${String(i % 60).padStart(2, '0')}Z`)),
      ),
    ).toBe(2500);
    const events = await repo.listConsentEvents(contact.id);
    expect(events.map((e) => e.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 2500 }, (_, i) => before + 1 + i));
    const { rows } = await db().pool.query('select last_id, last_hash from consent_chain_head');
    const last = events.find((e) => e.id === before + 2500)!;
    expect(rows[0]).toEqual({ last_id: String(before + 2500), last_hash: last.hash });
    expect(await repo.verifyLedger()).toMatchObject({ ok: true });
  });

  it('keeps the chain across several statements in one transaction and a savepoint rolled back', async () => {
    const contact = await makeContact(db().pool);
    const before = await consentRepository(db().pool).lastEventId();
    await withTransaction(db().pool, async (tx) => {
      const repo = consentRepository(tx);
      await repo.appendConsentEvents([
        grant(contact.id, 'informational', '2026-03-10T14:00:00Z'),
        grant(contact.id, 'marketing', '2026-03-10T14:01:00Z'),
      ]);
      await tx.query('savepoint s');
      await repo.appendConsentEvents([revoke(contact.id, '2026-03-10T15:00:00Z'), revoke(contact.id, '2026-03-10T15:01:00Z')]);
      await tx.query('rollback to savepoint s');
      await tx.query('savepoint t');
      // The second row fails its check (a marketing grant without the text shown): the whole statement is undone.
      await expect(
        repo.appendConsentEvents([
          grant(contact.id, 'informational', '2026-03-10T16:00:00Z'),
          { ...grant(contact.id, 'marketing', '2026-03-10T16:01:00Z'), textShown: undefined },
        ]),
      ).rejects.toThrow();
      await tx.query('rollback to savepoint t');
      await repo.appendConsentEvent(revoke(contact.id, '2026-03-10T17:00:00Z'));
    });
    const events = await consentRepository(db().pool).listConsentEvents(contact.id);
    expect(events.map((e) => [e.id - before, e.action])).toEqual([
      [1, 'grant'],
      [2, 'grant'],
      [3, 'revoke'],
    ]);
    expect(await consentRepository(db().pool).verifyLedger()).toMatchObject({ ok: true });
  });

  it('keeps one chain when bulk and single appends from several transactions race', async () => {
    const contacts = await Promise.all(Array.from({ length: 3 }, () => makeContact(db().pool)));
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withTransaction(db().pool, async (tx) => {
          const repo = consentRepository(tx);
          if (i % 2)
            await repo.appendConsentEvents(
              Array.from({ length: 50 }, () => grant(contacts[i % 3]!.id, 'informational', '2026-03-10T14:00:00Z')),
            );
          else await repo.appendConsentEvent(grant(contacts[i % 3]!.id, 'informational', '2026-03-10T14:00:00Z'));
          await repo.appendConsentEvent(revoke(contacts[i % 3]!.id, '2026-03-10T15:00:00Z'));
        }),
      ),
    );
    expect(await consentRepository(db().pool).verifyLedger()).toMatchObject({ ok: true });
  });

  it('computes the same hash in TypeScript as the SQL function', () => {
    const row = { prev_hash: '0'.repeat(64), fields: ['1', 'c', 'grant', null, 'a|b', 'é'] };
    expect(consentEventHash(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(consentEventHash({ ...row, fields: ['1', 'c', 'grant', '-', 'a|b', 'é'] })).not.toBe(consentEventHash(row));
  });
});

describe('currentConsent', () => {
  const cases: { name: string; events: (id: string) => NewConsentEvent[]; expected: ConsentLevel }[] = [
    { name: 'nothing on record', events: () => [], expected: 'missing' },
    { name: 'informational grant', events: (id) => [grant(id, 'informational', '2026-01-01T00:00:00Z')], expected: 'informational' },
    {
      name: 'marketing grant (covers informational)',
      events: (id) => [grant(id, 'marketing', '2026-01-01T00:00:00Z')],
      expected: 'granted',
    },
    {
      name: 'informational after marketing keeps marketing',
      events: (id) => [grant(id, 'marketing', '2026-01-01T00:00:00Z'), grant(id, 'informational', '2026-01-02T00:00:00Z')],
      expected: 'granted',
    },
    {
      name: 'a STOP revokes every purpose',
      events: (id) => [
        grant(id, 'marketing', '2026-01-01T00:00:00Z'),
        grant(id, 'informational', '2026-01-02T00:00:00Z'),
        revoke(id, '2026-01-03T00:00:00Z'),
      ],
      expected: 'revoked',
    },
    {
      name: 'a later informational grant restores informational only',
      events: (id) => [
        grant(id, 'marketing', '2026-01-01T00:00:00Z'),
        revoke(id, '2026-01-02T00:00:00Z'),
        grant(id, 'informational', '2026-01-03T00:00:00Z'),
      ],
      expected: 'informational',
    },
    {
      name: 'a later marketing grant restores everything',
      events: (id) => [revoke(id, '2026-01-02T00:00:00Z'), grant(id, 'marketing', '2026-01-03T00:00:00Z')],
      expected: 'granted',
    },
    {
      name: 'an older grant imported after a STOP does not undo it (order of occurrence, not of recording)',
      events: (id) => [
        revoke(id, '2026-05-01T00:00:00Z'),
        { ...grant(id, 'marketing', '2024-01-01T00:00:00Z'), source: 'import', channel: 'paper', reply: undefined },
      ],
      expected: 'revoked',
    },
  ];

  for (const c of cases) {
    it(`is ${c.expected} after: ${c.name}`, async () => {
      const repo = consentRepository(db().pool);
      const contact = await makeContact(db().pool);
      for (const event of c.events(contact.id)) await repo.appendConsentEvent(event);
      expect(await repo.currentConsent(contact.id)).toBe(c.expected);
    });
  }

  it('is the same fold in memory', () => {
    expect(consentLevelOf([])).toBe('missing');
    expect(consentLevelOf([{ action: 'revoke', purpose: 'all' }])).toBe('revoked');
    expect(
      consentLevelOf([
        { action: 'revoke', purpose: 'all' },
        { action: 'grant', purpose: 'informational' },
      ]),
    ).toBe('informational');
  });
});

// Tampering breaks the ledger for good, so each case gets a database of its own.
describe('verifyLedger after tampering', () => {
  async function ledgerOfFive(fn: (tx: Queryable, ids: number[]) => Promise<void>): Promise<LedgerVerdict> {
    const own = await createTestDatabase();
    try {
      const repo = consentRepository(own.pool);
      const contact = await makeContact(own.pool);
      const ids: number[] = [];
      for (let day = 1; day <= 5; day++) {
        const event =
          day % 2 ? grant(contact.id, 'informational', `2026-03-0${day}T10:00:00Z`) : revoke(contact.id, `2026-03-0${day}T10:00:00Z`);
        ids.push((await repo.appendConsentEvent(event)).id);
      }
      expect(await repo.verifyLedger()).toEqual({ ok: true, count: 5 });
      // A superuser can switch the guard off; the chain still shows what was done.
      await withTransaction(own.pool, async (tx) => {
        await tx.query('alter table consent_events disable trigger consent_events_append_only');
        await fn(tx, ids);
        await tx.query('alter table consent_events enable trigger consent_events_append_only');
      });
      return await repo.verifyLedger();
    } finally {
      await own.drop();
    }
  }

  it('names a row whose content was altered', async () => {
    const verdict = await ledgerOfFive((tx, ids) =>
      tx
        .query("update consent_events set action = 'grant', purpose = 'marketing', text_shown = 'x' where id = $1", [ids[1]])
        .then(() => undefined),
    );
    expect(verdict).toEqual({ ok: false, firstBrokenId: 2, reason: 'its content does not match its hash (the row was altered)' });
  });

  it('names a row whose hash was recomputed to match an altered content, by its successor', async () => {
    const verdict = await ledgerOfFive(async (tx, ids) => {
      await tx.query("update consent_events set reply = 'START' where id = $1", [ids[1]]);
      await tx.query('update consent_events e set hash = consent_event_hash(e) where id = $1', [ids[1]]);
    });
    expect(verdict).toEqual({ ok: false, firstBrokenId: 3, reason: 'its previous-hash does not match the event before it' });
  });

  it('names the row after a deleted one', async () => {
    const verdict = await ledgerOfFive((tx, ids) => tx.query('delete from consent_events where id = $1', [ids[2]]).then(() => undefined));
    expect(verdict).toEqual({ ok: false, firstBrokenId: 4, reason: 'event 3 is missing before it' });
  });

  it('notices the newest rows deleted, from the chain head', async () => {
    const verdict = await ledgerOfFive((tx, ids) => tx.query('delete from consent_events where id >= $1', [ids[3]]).then(() => undefined));
    expect(verdict).toEqual({
      ok: false,
      firstBrokenId: 4,
      reason: 'the chain head records 5 events, but the ledger ends at event 3: later events are missing',
    });
  });
});
