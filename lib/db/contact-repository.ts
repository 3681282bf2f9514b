import { randomUUID } from 'node:crypto';
import { createFieldCipher, type FieldCipher } from '../crypto/field-cipher';
import { createPhoneHasher, type PhoneHasher } from '../crypto/phone-hash';
import { isPgError, type Queryable } from './queryable';

/**
 * Contacts, with name, date of birth, ZIP and custom attributes encrypted at
 * rest (why these: see the migration `*_contacts.sql`). Each ciphertext is
 * bound to its row and column, so it cannot be moved to another contact.
 */

export interface NewContact {
  /** E.164, e.g. +12125550100. */
  phone: string;
  name?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  zip?: string;
  attributes?: Record<string, unknown>;
  /** IANA zone, e.g. America/Chicago. */
  zone?: string;
  /** Two-letter state code. */
  state?: string;
}

export interface Contact {
  id: string;
  /** Null once the contact has been erased. */
  phone: string | null;
  name?: string;
  dateOfBirth?: string;
  zip?: string;
  attributes: Record<string, unknown>;
  zone?: string;
  state?: string;
  createdAt: Date;
  updatedAt: Date;
  erasedAt?: Date;
}

/** The keys contacts need: both derived from APP_SECRET. */
export interface ContactKeys {
  cipher: FieldCipher;
  hashPhone: PhoneHasher;
}

/** A contact with this phone number already exists. */
export class ContactExistsError extends Error {
  constructor(readonly contactId: string) {
    super(`a contact with this phone number already exists (${contactId})`);
    this.name = 'ContactExistsError';
  }
}

export interface ContactRepository {
  /** Creates a contact; throws ContactExistsError if the number is already a contact. */
  createContact(contact: NewContact): Promise<Contact>;
  /** The contact with this number (found by its keyed hash), decrypted. */
  findContactByPhone(phone: string): Promise<Contact | undefined>;
  /** A contact by id, decrypted. */
  getContact(id: string): Promise<Contact | undefined>;
}

interface ContactRow {
  id: string;
  phone_e164: string | null;
  name_enc: Buffer | null;
  dob_enc: Buffer | null;
  zip_enc: Buffer | null;
  attributes_enc: Buffer | null;
  zone: string | null;
  state: string | null;
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
}

type EncryptedColumn = 'name_enc' | 'dob_enc' | 'zip_enc' | 'attributes_enc';

const COLUMNS = 'id, phone_e164, name_enc, dob_enc, zip_enc, attributes_enc, zone, state, created_at, updated_at, erased_at';

/** The keys for contacts, derived from APP_SECRET. */
export function contactKeys(appSecret: string): ContactKeys {
  return { cipher: createFieldCipher(appSecret), hashPhone: createPhoneHasher(appSecret) };
}

/** Contacts over a pool or a transaction's client. */
export function contactRepository(db: Queryable, keys: ContactKeys): ContactRepository {
  // Authenticated data: table, column and row, so a ciphertext only opens where it was written.
  const context = (column: EncryptedColumn, id: string) => `contacts.${column}:${id}`;
  const seal = (column: EncryptedColumn, id: string, value: string | undefined) =>
    value === undefined ? null : keys.cipher.encrypt(value, context(column, id));
  const open = (column: EncryptedColumn, row: ContactRow) => {
    const value = row[column];
    return value === null ? undefined : keys.cipher.decrypt(value, context(column, row.id));
  };
  const toContact = (row: ContactRow): Contact => {
    const attributes = open('attributes_enc', row);
    return {
      id: row.id,
      phone: row.phone_e164,
      name: open('name_enc', row),
      dateOfBirth: open('dob_enc', row),
      zip: open('zip_enc', row),
      attributes: attributes === undefined ? {} : (JSON.parse(attributes) as Record<string, unknown>),
      zone: row.zone ?? undefined,
      state: row.state ?? undefined,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      erasedAt: row.erased_at ?? undefined,
    };
  };

  return {
    async createContact(contact) {
      const id = randomUUID();
      const phoneHash = keys.hashPhone(contact.phone);
      const hasAttributes = contact.attributes && Object.keys(contact.attributes).length > 0;
      try {
        const { rows } = await db.query<ContactRow>(
          `insert into contacts (id, phone_e164, phone_hash, name_enc, dob_enc, zip_enc, attributes_enc, zone, state)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           returning ${COLUMNS}`,
          [
            id,
            contact.phone,
            phoneHash,
            seal('name_enc', id, contact.name),
            seal('dob_enc', id, contact.dateOfBirth),
            seal('zip_enc', id, contact.zip),
            seal('attributes_enc', id, hasAttributes ? JSON.stringify(contact.attributes) : undefined),
            contact.zone ?? null,
            contact.state ?? null,
          ],
        );
        return toContact(rows[0]!);
      } catch (err) {
        if (!isPgError(err, '23505', 'contacts_phone_hash_key')) throw err;
        const existing = await db.query<{ id: string }>('select id from contacts where phone_hash = $1', [phoneHash]);
        throw new ContactExistsError(existing.rows[0]?.id ?? 'unknown');
      }
    },

    async findContactByPhone(phone) {
      const { rows } = await db.query<ContactRow>(`select ${COLUMNS} from contacts where phone_hash = $1`, [keys.hashPhone(phone)]);
      return rows[0] && toContact(rows[0]);
    },

    async getContact(id) {
      const { rows } = await db.query<ContactRow>(`select ${COLUMNS} from contacts where id = $1`, [id]);
      return rows[0] && toContact(rows[0]);
    },
  };
}
