import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consentLevelOf, type LedgerEntry } from '@/lib/compliance/types';
import { consentRepository, type NewConsentEvent } from './consent-repository';
import { contactImportRepository } from './contact-import-repository';
import { contactKeys, contactRepository } from './contact-repository';
import { segmentRepository, type SegmentFilter } from './segment-repository';
import { approvedActiveVersion, makeContact, TEST_APP_SECRET, uniquePhone } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const keys = contactKeys(TEST_APP_SECRET);
const segments = () => segmentRepository(db().pool);

const evidence = { source: 'api', channel: 'api', recordedBy: 'test' } as const;
function event(contactId: string, e: LedgerEntry, at: Date): NewConsentEvent {
  if (e.action === 'revoke') return { ...evidence, contactId, action: 'revoke', occurredAt: at };
  const purpose = e.purpose === 'all' ? 'informational' : e.purpose;
  return {
    ...evidence,
    contactId,
    action: 'grant',
    purpose,
    occurredAt: at,
    ...(purpose === 'marketing' ? { textShown: 'Reply YES' } : {}),
  };
}

/** The ids a filter holds, among `ids`. */
async function matching(filter: SegmentFilter, ids: string[]): Promise<string[]> {
  const all = await segments().members(filter, { limit: 5000 });
  return all
    .map((m) => m.id)
    .filter((id) => ids.includes(id))
    .sort();
}

describe('segment repository', () => {
  it('decides the consent level in SQL exactly as consentLevelOf does, on random ledgers', async () => {
    const entry = fc.oneof(
      fc.constant<LedgerEntry>({ action: 'revoke', purpose: 'all' }),
      fc.constant<LedgerEntry>({ action: 'grant', purpose: 'marketing' }),
      fc.constant<LedgerEntry>({ action: 'grant', purpose: 'informational' }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 6 }), async (ledger) => {
        const contact = await makeContact(db().pool);
        // Appended out of order on purpose: the level follows when events occurred, not when they were recorded.
        const base = Date.UTC(2026, 0, 1);
        const events = ledger.map((e, i) => event(contact.id, e, new Date(base + i * 60_000)));
        await consentRepository(db().pool).appendConsentEvents([...events].reverse());
        const { rows } = await db().pool.query<{ level: string }>('select optline_consent_level($1) as level', [contact.id]);
        expect(rows[0]!.level).toBe(consentLevelOf(ledger));
      }),
      { numRuns: 60 },
    );
  });

  it('filters by consent per purpose: granted, never asked, revoked', async () => {
    const pool = db().pool;
    const t = new Date('2026-02-01T12:00:00Z');
    const marketing = await makeContact(pool);
    const informational = await makeContact(pool);
    const never = await makeContact(pool);
    const revoked = await makeContact(pool);
    await consentRepository(pool).appendConsentEvents([
      event(marketing.id, { action: 'grant', purpose: 'marketing' }, t),
      event(informational.id, { action: 'grant', purpose: 'informational' }, t),
      event(revoked.id, { action: 'grant', purpose: 'marketing' }, t),
      event(revoked.id, { action: 'revoke', purpose: 'all' }, new Date(t.getTime() + 1000)),
    ]);
    const ids = [marketing.id, informational.id, never.id, revoked.id];
    const sorted = (...xs: string[]) => xs.sort();
    expect(await matching({ field: 'consent', purpose: 'marketing', status: 'granted' }, ids)).toEqual([marketing.id]);
    expect(await matching({ field: 'consent', purpose: 'informational', status: 'granted' }, ids)).toEqual(
      sorted(marketing.id, informational.id),
    );
    expect(await matching({ field: 'consent', purpose: 'marketing', status: 'none' }, ids)).toEqual(sorted(informational.id, never.id));
    expect(await matching({ field: 'consent', purpose: 'marketing', status: 'revoked' }, ids)).toEqual([revoked.id]);
  });

  it('filters by zone and state as the runtime resolves them (explicit, ZIP, else the area code)', async () => {
    const pool = db().pool;
    const explicit = await makeContact(pool, { zone: 'America/Denver', state: 'CO' });
    const byZip = await makeContact(pool, { zip: '60601' }); // Chicago
    const byArea = await contactRepository(pool, keys).createContact({ phone: '+13055550142' }); // Miami: FL, Eastern
    const ids = [explicit.id, byZip.id, byArea.id];
    expect(await matching({ field: 'zone', in: ['America/Denver'] }, ids)).toEqual([explicit.id]);
    expect(await matching({ field: 'zone', in: ['America/Chicago'] }, ids)).toEqual([byZip.id]);
    expect(await matching({ field: 'state', in: ['FL'] }, ids)).toEqual([byArea.id]);
    expect(await matching({ field: 'state', in: ['IL', 'CO'] }, ids)).toEqual([byZip.id, explicit.id].sort());
  });

  it('compares attributes as text, numbers and dates, keeping every value a parameter', async () => {
    const pool = db().pool;
    const a = await makeContact(pool, { attributes: { plan: 'Gold plus', amount_due: '42.50', due: '2026-03-01' } });
    const b = await makeContact(pool, { attributes: { plan: 'silver', amount_due: 120, due: '2026-04-15' } });
    const c = await makeContact(pool, { attributes: { plan: "o'reilly'); drop table contacts; --", amount_due: 'n/a' } });
    const ids = [a.id, b.id, c.id];
    expect(await matching({ field: 'attribute', key: 'plan', op: 'equals', value: 'silver' }, ids)).toEqual([b.id]);
    expect(await matching({ field: 'attribute', key: 'plan', op: 'contains', value: 'GOLD' }, ids)).toEqual([a.id]);
    expect(await matching({ field: 'attribute', key: 'plan', op: 'equals', value: "o'reilly'); drop table contacts; --" }, ids)).toEqual([
      c.id,
    ]);
    expect(await matching({ field: 'attribute', key: 'amount_due', op: 'gt', value: 50 }, ids)).toEqual([b.id]);
    expect(await matching({ field: 'attribute', key: 'amount_due', op: 'lte', value: '42.5' }, ids)).toEqual([a.id]);
    expect(await matching({ field: 'attribute', key: 'due', op: 'before', value: '2026-04-01' }, ids)).toEqual([a.id]);
    expect(await matching({ field: 'attribute', key: 'due', op: 'after', value: '2026-04-01' }, ids)).toEqual([b.id]);
    expect(await matching({ field: 'attribute', key: 'due', op: 'exists' }, ids)).toEqual([a.id, b.id].sort());
    expect(await matching({ not: { field: 'attribute', key: 'due', op: 'exists' } }, ids)).toEqual([c.id]);
  });

  it('filters by tag, by the import a contact came from, and by being in a run of a flow', async () => {
    const pool = db().pool;
    const repo = contactRepository(pool, keys);
    const tagged = await makeContact(pool, { tags: ['VIP '] });
    const later = await makeContact(pool);
    const other = await makeContact(pool);
    expect(await repo.addTags([later.id, tagged.id], ['vip', 'late'])).toBe(2);
    expect((await repo.getContact(tagged.id))!.tags).toEqual(['late', 'vip']);
    const importId = await contactImportRepository(pool).record({ fileName: 'march.csv', importedBy: 'test', contactIds: [other.id] });
    const ids = [tagged.id, later.id, other.id];
    expect(await matching({ field: 'tag', tag: 'vip' }, ids)).toEqual([tagged.id, later.id].sort());
    expect(await matching({ field: 'import', importId }, ids)).toEqual([other.id]);
    expect(
      await matching(
        {
          any: [
            { field: 'import', importId },
            { field: 'tag', tag: 'late' },
          ],
        },
        ids,
      ),
    ).toEqual(ids.slice().sort());
    expect(await matching({ all: [{ field: 'tag', tag: 'vip' }, { not: { field: 'tag', tag: 'late' } }] }, ids)).toEqual([]);

    const version = await approvedActiveVersion(pool, (await import('@/workflows/optin-notice.json')).default, 'seg-flow');
    await pool.query(`insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{}')`, [version.id, other.id]);
    expect(await matching({ field: 'run', flowId: 'seg-flow' }, ids)).toEqual([other.id]);
    expect(
      await segments().count({
        all: [
          { field: 'run', flowId: 'seg-flow' },
          { field: 'tag', tag: 'vip' },
        ],
      }),
    ).toBe(0);
  });

  it('walks a segment in id order, a page at a time, and fills the facts of contacts written before segments', async () => {
    const pool = db().pool;
    const made = await contactRepository(pool, keys).createContacts(
      Array.from({ length: 7 }, () => ({ phone: uniquePhone(), tags: ['walk'], zone: 'America/Chicago' })),
    );
    await pool.query('update contacts set segment_facts_at = null, resolved_zones = null where id = any($1::uuid[])', [made]);
    const walkers: SegmentFilter = {
      all: [
        { field: 'tag', tag: 'walk' },
        { field: 'zone', in: ['America/Chicago'] },
      ],
    };
    expect(await segments().count(walkers)).toBe(0);
    let filled = 0;
    for (let n; (n = await contactRepository(pool, keys).fillSegmentFacts(3)) > 0;) filled += n;
    expect(filled).toBeGreaterThanOrEqual(7);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await segments().members({ field: 'tag', tag: 'walk' }, { limit: 3, ...(after ? { afterId: after } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((m) => m.id));
      after = page.at(-1)!.id;
    }
    expect(seen).toEqual([...made].sort());
    expect(await segments().count(walkers)).toBe(7);
  });
});
