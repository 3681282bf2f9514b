import { describe, expect, it } from 'vitest';
import { DecryptionError } from '@/lib/crypto/field-cipher';
import { ContactExistsError, contactKeys, contactRepository, type ContactCursor } from './contact-repository';
import { TEST_APP_SECRET, uniquePhone } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const repo = () => contactRepository(db().pool, contactKeys(TEST_APP_SECRET));

describe('contact repository', () => {
  it('creates a contact and reads it back decrypted, by id and by phone', async () => {
    const phone = uniquePhone();
    const created = await repo().createContact({
      phone,
      name: 'Zoë Park',
      dateOfBirth: '1990-04-01',
      zip: '10001',
      attributes: { plan: 'gold', visits: 3 },
      zone: 'America/New_York',
      state: 'NY',
    });
    expect(created).toMatchObject({
      phone,
      name: 'Zoë Park',
      dateOfBirth: '1990-04-01',
      zip: '10001',
      attributes: { plan: 'gold', visits: 3 },
      zone: 'America/New_York',
      state: 'NY',
    });
    expect(await repo().getContact(created.id)).toEqual(created);
    expect(await repo().findContactByPhone(phone)).toEqual(created);
    expect(await repo().findContactByPhone(uniquePhone())).toBeUndefined();
  });

  it('stores name, date of birth and ZIP only as ciphertext, attributes sealed with a readable copy for segments, and the phone hash keyed', async () => {
    const phone = uniquePhone();
    const created = await repo().createContact({ phone, name: 'Ada', dateOfBirth: '1815-12-10', zip: '94103', attributes: { a: 1 } });
    const { rows } = await db().pool.query('select * from contacts where id = $1', [created.id]);
    const row = rows[0] as Record<string, unknown>;
    const { segment_attributes: readable, ...rest } = row;
    const stored = JSON.stringify(rest, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
    for (const secret of ['Ada', '1815-12-10', '94103', '"a"']) expect(stored).not.toContain(secret);
    // Segments filter on attributes in SQL (migration *_segments.sql): the copy they read is the attributes alone.
    expect(readable).toEqual({ a: 1 });
    expect(row.phone_e164).toBe(phone);
    expect(row.phone_hash).toBe(contactKeys(TEST_APP_SECRET).hashPhone(phone));
  });

  it('keeps optional fields absent rather than encrypting nothing', async () => {
    const created = await repo().createContact({ phone: uniquePhone() });
    expect(created).toMatchObject({ name: undefined, zip: undefined, attributes: {}, zone: undefined, state: undefined });
    const { rows } = await db().pool.query('select name_enc, attributes_enc from contacts where id = $1', [created.id]);
    expect(rows[0]).toEqual({ name_enc: null, attributes_enc: null });
  });

  it('refuses a second contact with the same number', async () => {
    const phone = uniquePhone();
    const first = await repo().createContact({ phone });
    const error = await repo()
      .createContact({ phone, name: 'someone else' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ContactExistsError);
    expect((error as ContactExistsError).contactId).toBe(first.id);
  });

  it('will not decrypt a field copied onto another contact', async () => {
    const victim = await repo().createContact({ phone: uniquePhone(), zip: '10001' });
    const attacker = await repo().createContact({ phone: uniquePhone(), zip: '99999' });
    await db().pool.query('update contacts set zip_enc = (select zip_enc from contacts where id = $1) where id = $2', [
      victim.id,
      attacker.id,
    ]);
    await expect(repo().getContact(attacker.id)).rejects.toThrow(DecryptionError);
  });

  it('cannot find or read contacts with another APP_SECRET', async () => {
    const phone = uniquePhone();
    const created = await repo().createContact({ phone, name: 'Kim' });
    const other = contactRepository(db().pool, contactKeys(`${TEST_APP_SECRET}-other`));
    expect(await other.findContactByPhone(phone)).toBeUndefined();
    await expect(other.getContact(created.id)).rejects.toThrow(DecryptionError);
  });

  it('refuses a number that is not E.164 and a state that is not two capitals', async () => {
    await expect(repo().createContact({ phone: '212-555-0100' })).rejects.toThrow('not an E.164');
    await expect(repo().createContact({ phone: uniquePhone(), state: 'ny' })).rejects.toThrow(/contacts_state_check/);
  });

  it('creates and updates many contacts in bulk, sealing each field to its own row', async () => {
    const phones = Array.from({ length: 3 }, () => uniquePhone());
    const ids = await repo().createContacts(
      phones.map((phone, i) => ({ phone, name: `Bulk ${i}`, zip: '1000' + i, attributes: { n: i } })),
    );
    expect(ids).toHaveLength(3);
    const found = await repo().findContactsByPhones([...phones, uniquePhone()]);
    expect([...found.keys()]).toEqual(expect.arrayContaining(phones));
    expect(found.size).toBe(3);
    expect(found.get(phones[1]!)).toMatchObject({ id: ids[1], name: 'Bulk 1', zip: '10001', attributes: { n: 1 } });
    await repo().updateContacts([
      { id: ids[0]!, fields: { zone: 'America/Denver', dateOfBirth: '1970-01-01' } },
      { id: ids[2]!, fields: { name: 'Renamed' } },
    ]);
    expect(await repo().getContact(ids[0]!)).toMatchObject({
      name: 'Bulk 0',
      zip: '10000',
      zone: 'America/Denver',
      dateOfBirth: '1970-01-01',
    });
    expect(await repo().getContact(ids[2]!)).toMatchObject({ name: 'Renamed', zip: '10002' });
    expect([...(await repo().getContacts([ids[0]!, ids[2]!, ids[0]!])).keys()].sort()).toEqual([ids[0], ids[2]].sort());
    const taken = await repo()
      .createContacts([{ phone: uniquePhone() }, { phone: phones[0]! }])
      .catch((err: unknown) => err);
    expect(taken).toBeInstanceOf(ContactExistsError);
  });

  it('pages through contacts created in the same transaction (same timestamp) each exactly once', async () => {
    const client = await db().pool.connect();
    try {
      await client.query('begin');
      await contactRepository(client, contactKeys(TEST_APP_SECRET)).createContacts(
        Array.from({ length: 120 }, (_, i) => ({ phone: `+1303555${String(i).padStart(4, '0')}` })),
      );
      await client.query('commit');
    } finally {
      client.release();
    }
    const seen: string[] = [];
    let after: ContactCursor | undefined;
    for (;;) {
      // Only these numbers: an earlier test left a row that no longer decrypts.
      const page = await repo().listContacts({ limit: 50, phoneDigits: '1303555', ...(after ? { after } : {}) });
      seen.push(...page.map((p) => p.contact.id));
      if (page.length < 50) break;
      after = page[page.length - 1]!.cursor;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    const { rows } = await db().pool.query(`select count(distinct created_at)::int as n from contacts where phone_e164 like '+1303555%'`);
    expect(rows[0].n).toBe(1);
  });
});
