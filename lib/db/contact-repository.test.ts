import { describe, expect, it } from 'vitest';
import { DecryptionError } from '../crypto/field-cipher';
import { ContactExistsError, contactKeys, contactRepository } from './contact-repository';
import { TEST_APP_SECRET, uniquePhone } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();
const repo = () => contactRepository(db().pool, contactKeys(TEST_APP_SECRET));

describe('contact repository', () => {
  it('creates a contact and reads it back decrypted, by id and by phone', async () => {
    const phone = uniquePhone();
    const created = await repo().createContact({
      phone, name: 'Zoë Park', dateOfBirth: '1990-04-01', zip: '10001',
      attributes: { plan: 'gold', visits: 3 }, zone: 'America/New_York', state: 'NY',
    });
    expect(created).toMatchObject({
      phone, name: 'Zoë Park', dateOfBirth: '1990-04-01', zip: '10001',
      attributes: { plan: 'gold', visits: 3 }, zone: 'America/New_York', state: 'NY',
    });
    expect(await repo().getContact(created.id)).toEqual(created);
    expect(await repo().findContactByPhone(phone)).toEqual(created);
    expect(await repo().findContactByPhone(uniquePhone())).toBeUndefined();
  });

  it('stores name, date of birth, ZIP and attributes only as ciphertext, and the phone hash keyed', async () => {
    const phone = uniquePhone();
    const created = await repo().createContact({ phone, name: 'Ada', dateOfBirth: '1815-12-10', zip: '94103', attributes: { a: 1 } });
    const { rows } = await db().pool.query('select * from contacts where id = $1', [created.id]);
    const row = rows[0] as Record<string, unknown>;
    const stored = JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v));
    for (const secret of ['Ada', '1815-12-10', '94103', '"a"']) expect(stored).not.toContain(secret);
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
    const error = await repo().createContact({ phone, name: 'someone else' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ContactExistsError);
    expect((error as ContactExistsError).contactId).toBe(first.id);
  });

  it('will not decrypt a field copied onto another contact', async () => {
    const victim = await repo().createContact({ phone: uniquePhone(), zip: '10001' });
    const attacker = await repo().createContact({ phone: uniquePhone(), zip: '99999' });
    await db().pool.query('update contacts set zip_enc = (select zip_enc from contacts where id = $1) where id = $2', [victim.id, attacker.id]);
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
});
