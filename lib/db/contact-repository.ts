import { randomUUID } from 'node:crypto';
import { resolveStates } from '@/lib/compliance/states';
import { resolveZones } from '@/lib/compliance/zones';
import { createFieldCipher, type FieldCipher } from '@/lib/crypto/field-cipher';
import { createPhoneHasher, type PhoneHasher } from '@/lib/crypto/phone-hash';
import { isPgError, type Queryable } from './queryable';
import { UUID } from '@/lib/fields';

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
  /** Labels for segments (lower case, at most 50). */
  tags?: string[];
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
  tags: string[];
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
  /** The contact whose number has this keyed hash (an inbound text keeps only the hash), decrypted. */
  findContactByPhoneHash(phoneHash: string): Promise<Contact | undefined>;
  /** A contact by id, decrypted. */
  getContact(id: string): Promise<Contact | undefined>;
  /** Contacts by id, decrypted, keyed by id (unknown ids are left out). */
  /** The contacts found among these ids (an id that is not a UUID finds nothing). */
  getContacts(ids: readonly string[]): Promise<Map<string, Contact>>;
  /**
   * The contacts with these numbers (erased ones too, found by their hash),
   * decrypted, keyed by the number asked for. `lock` takes their row locks
   * (inside a transaction) so nobody changes them until it ends.
   */
  findContactsByPhones(phones: readonly string[], options?: { lock?: boolean }): Promise<Map<string, Contact>>;
  /** Creates many contacts in a few statements; returns their ids in order. Throws ContactExistsError on a number already taken. */
  createContacts(contacts: readonly NewContact[]): Promise<string[]>;
  /** Sets the given fields of many contacts in one statement; a field left out keeps its value (attributes are replaced whole). */
  updateContacts(updates: readonly ContactUpdate[]): Promise<void>;
  /** A page of contacts, newest first, after a cursor; `phoneDigits` keeps those whose number contains them. */
  listContacts(page: ContactPage): Promise<{ contact: Contact; cursor: ContactCursor }[]>;
  /** The contact's runs, newest first, with their flow and version. */
  runsOfContact(contactId: string, limit?: number): Promise<ContactRun[]>;
  /** Adds tags to these contacts (kept once each, erased contacts left out); returns how many contacts changed. */
  addTags(contactIds: readonly string[], tags: readonly string[]): Promise<number>;
  /**
   * Computes the segment facts (readable attributes, resolved zones and
   * states) of up to `limit` contacts that lack them (written before
   * segments existed, or updated since); returns how many it filled.
   */
  fillSegmentFacts(limit: number): Promise<number>;
}

/** What a segment filters on, derived as the runtime derives it (`resolveZones`, `resolveStates`). */
function segmentFacts(contact: { phone: string; zone?: string; zip?: string; state?: string }) {
  const location = { phone: contact.phone, zone: contact.zone, zip: contact.zip, state: contact.state };
  return { zones: resolveZones(location), states: resolveStates(location) };
}

/** Tags as stored: trimmed, lower case, once each. */
export function normalTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
}

/** The fields an update sets; absent fields are left as they are. */
export interface ContactUpdate {
  id: string;
  fields: Omit<NewContact, 'phone'>;
}

/**
 * A place in the newest-first order: the contact's creation time as the
 * database prints it (microseconds and offset: a JS Date would drop the
 * microseconds and skip rows created in the same millisecond) and its id.
 */
export interface ContactCursor {
  createdAt: string;
  id: string;
}

export interface ContactPage {
  after?: ContactCursor;
  limit: number;
  /** Digits the E.164 number must contain. */
  phoneDigits?: string;
}

/** One of a contact's runs, as a contact page lists it. */
export interface ContactRun {
  id: string;
  flowId: string;
  flowName: string;
  version: number;
  status: 'active' | 'done' | 'error' | 'stopped';
  stopReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
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
  tags: string[];
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
}

type EncryptedColumn = 'name_enc' | 'dob_enc' | 'zip_enc' | 'attributes_enc';

// Rows per bulk statement: large enough to cut round trips, small enough to keep each statement's arrays modest.
const BULK_ROWS = 1000;

const COLUMNS = 'id, phone_e164, name_enc, dob_enc, zip_enc, attributes_enc, zone, state, tags, created_at, updated_at, erased_at';

/** The keys for contacts, derived from APP_SECRET. */
export function contactKeys(appSecret: string): ContactKeys {
  return { cipher: createFieldCipher(appSecret), hashPhone: createPhoneHasher(appSecret) };
}

/**
 * The columns a contact is read from, for a query that joins contacts to
 * other tables: each qualified by `alias` and named `${prefix}column`, so they
 * cannot clash with the other tables' columns (`contactOfRow` reads them back).
 */
export function contactColumns(alias: string, prefix: string): string {
  return COLUMNS.split(', ')
    .map((c) => `${alias}.${c} as ${prefix}${c}`)
    .join(', ');
}

/** The contact in a joined row whose contact columns came from `contactColumns(alias, prefix)`, decrypted. */
export function contactOfRow(keys: ContactKeys, row: Record<string, unknown>, prefix: string): Contact {
  const own = Object.fromEntries(COLUMNS.split(', ').map((c) => [c, row[`${prefix}${c}`]]));
  return contactFromRow(keys, own as unknown as ContactRow);
}

// Authenticated data: table, column and row, so a ciphertext only opens where it was written.
const sealContext = (column: EncryptedColumn, id: string) => `contacts.${column}:${id}`;

/** A contact's ZIP from its sealed column (the preview reads where a contact is without opening their name). */
export function openZip(keys: ContactKeys, contactId: string, zipEnc: Buffer | null): string | undefined {
  return zipEnc === null ? undefined : keys.cipher.decrypt(zipEnc, sealContext('zip_enc', contactId));
}

/** A contact row, decrypted. */
function contactFromRow(keys: ContactKeys, row: ContactRow): Contact {
  const open = (column: EncryptedColumn) => {
    const value = row[column];
    return value === null ? undefined : keys.cipher.decrypt(value, sealContext(column, row.id));
  };
  const attributes = open('attributes_enc');
  return {
    id: row.id,
    phone: row.phone_e164,
    name: open('name_enc'),
    dateOfBirth: open('dob_enc'),
    zip: open('zip_enc'),
    attributes: attributes === undefined ? {} : (JSON.parse(attributes) as Record<string, unknown>),
    zone: row.zone ?? undefined,
    state: row.state ?? undefined,
    tags: row.tags ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    erasedAt: row.erased_at ?? undefined,
  };
}

/** Contacts over a pool or a transaction's client. */
export function contactRepository(db: Queryable, keys: ContactKeys): ContactRepository {
  const seal = (column: EncryptedColumn, id: string, value: string | undefined) =>
    value === undefined ? null : keys.cipher.encrypt(value, sealContext(column, id));
  const toContact = (row: ContactRow): Contact => contactFromRow(keys, row);

  return {
    async createContact(contact) {
      const id = randomUUID();
      const phoneHash = keys.hashPhone(contact.phone);
      const hasAttributes = contact.attributes && Object.keys(contact.attributes).length > 0;
      const facts = segmentFacts(contact);
      try {
        const { rows } = await db.query<ContactRow>(
          `insert into contacts (id, phone_e164, phone_hash, name_enc, dob_enc, zip_enc, attributes_enc, zone, state,
             segment_attributes, tags, resolved_zones, resolved_states, segment_facts_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
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
            JSON.stringify(contact.attributes ?? {}),
            normalTags(contact.tags ?? []),
            facts.zones,
            facts.states,
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

    async findContactByPhoneHash(phoneHash) {
      const { rows } = await db.query<ContactRow>(`select ${COLUMNS} from contacts where phone_hash = $1`, [phoneHash]);
      return rows[0] && toContact(rows[0]);
    },

    async getContact(id) {
      const { rows } = await db.query<ContactRow>(`select ${COLUMNS} from contacts where id = $1`, [id]);
      return rows[0] && toContact(rows[0]);
    },

    async getContacts(ids) {
      const found = new Map<string, Contact>();
      // An id that is not a UUID names no contact (and would fail the whole query).
      const unique = [...new Set(ids)].filter((id) => UUID.test(id));
      for (let i = 0; i < unique.length; i += BULK_ROWS) {
        const { rows } = await db.query<ContactRow>(`select ${COLUMNS} from contacts where id = any($1::uuid[])`, [
          unique.slice(i, i + BULK_ROWS),
        ]);
        for (const row of rows) found.set(row.id, toContact(row));
      }
      return found;
    },

    async findContactsByPhones(phones, options = {}) {
      const found = new Map<string, Contact>();
      for (let i = 0; i < phones.length; i += BULK_ROWS) {
        const chunk = phones.slice(i, i + BULK_ROWS);
        const phoneOfHash = new Map(chunk.map((p) => [keys.hashPhone(p), p]));
        const { rows } = await db.query<ContactRow & { phone_hash: string }>(
          `select ${COLUMNS}, phone_hash from contacts where phone_hash = any($1::text[]) ${options.lock ? 'for update' : ''}`,
          [[...phoneOfHash.keys()]],
        );
        for (const row of rows) found.set(phoneOfHash.get(row.phone_hash)!, toContact(row));
      }
      return found;
    },

    async createContacts(contacts) {
      const ids: string[] = [];
      for (let i = 0; i < contacts.length; i += BULK_ROWS) {
        const chunk = contacts.slice(i, i + BULK_ROWS);
        const cols = {
          id: [] as string[],
          phone: [] as string[],
          hash: [] as string[],
          name: [] as (Buffer | null)[],
          dob: [] as (Buffer | null)[],
          zip: [] as (Buffer | null)[],
          attributes: [] as (Buffer | null)[],
          zone: [] as (string | null)[],
          state: [] as (string | null)[],
          segmentAttributes: [] as string[],
          tags: [] as string[],
          zones: [] as string[],
          states: [] as string[],
        };
        for (const contact of chunk) {
          const id = randomUUID();
          const hasAttributes = contact.attributes && Object.keys(contact.attributes).length > 0;
          cols.id.push(id);
          cols.phone.push(contact.phone);
          cols.hash.push(keys.hashPhone(contact.phone));
          cols.name.push(seal('name_enc', id, contact.name));
          cols.dob.push(seal('dob_enc', id, contact.dateOfBirth));
          cols.zip.push(seal('zip_enc', id, contact.zip));
          cols.attributes.push(seal('attributes_enc', id, hasAttributes ? JSON.stringify(contact.attributes) : undefined));
          cols.zone.push(contact.zone ?? null);
          cols.state.push(contact.state ?? null);
          const facts = segmentFacts(contact);
          // Arrays of arrays cannot be ragged in Postgres: each list travels as JSON and is unpacked below.
          cols.segmentAttributes.push(JSON.stringify(contact.attributes ?? {}));
          cols.tags.push(JSON.stringify(normalTags(contact.tags ?? [])));
          cols.zones.push(JSON.stringify(facts.zones));
          cols.states.push(JSON.stringify(facts.states));
        }
        try {
          await db.query(
            `insert into contacts (id, phone_e164, phone_hash, name_enc, dob_enc, zip_enc, attributes_enc, zone, state,
               segment_attributes, tags, resolved_zones, resolved_states, segment_facts_at)
             select u.id, u.phone, u.hash, u.name, u.dob, u.zip, u.attributes, u.zone, u.state, u.segment_attributes::jsonb,
               array(select jsonb_array_elements_text(u.tags::jsonb)), array(select jsonb_array_elements_text(u.zones::jsonb)),
               array(select jsonb_array_elements_text(u.states::jsonb)), now()
             from unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::bytea[], $6::bytea[], $7::bytea[], $8::text[], $9::text[],
               $10::text[], $11::text[], $12::text[], $13::text[])
               as u(id, phone, hash, name, dob, zip, attributes, zone, state, segment_attributes, tags, zones, states)`,
            [
              cols.id,
              cols.phone,
              cols.hash,
              cols.name,
              cols.dob,
              cols.zip,
              cols.attributes,
              cols.zone,
              cols.state,
              cols.segmentAttributes,
              cols.tags,
              cols.zones,
              cols.states,
            ],
          );
        } catch (err) {
          if (!isPgError(err, '23505', 'contacts_phone_hash_key')) throw err;
          const existing = await db.query<{ id: string }>('select id from contacts where phone_hash = any($1::text[]) limit 1', [
            cols.hash,
          ]);
          throw new ContactExistsError(existing.rows[0]?.id ?? 'unknown');
        }
        ids.push(...cols.id);
      }
      return ids;
    },

    async updateContacts(updates) {
      for (let i = 0; i < updates.length; i += BULK_ROWS) {
        const chunk = updates.slice(i, i + BULK_ROWS);
        const given = (column: EncryptedColumn, u: ContactUpdate, value: string | undefined) => seal(column, u.id, value);
        await db.query(
          `update contacts c set
             name_enc = coalesce(u.name_enc, c.name_enc),
             dob_enc = coalesce(u.dob_enc, c.dob_enc),
             zip_enc = coalesce(u.zip_enc, c.zip_enc),
             attributes_enc = coalesce(u.attributes_enc, c.attributes_enc),
             zone = coalesce(u.zone, c.zone),
             state = coalesce(u.state, c.state),
             segment_attributes = coalesce(u.segment_attributes::jsonb, c.segment_attributes),
             tags = array(select distinct t from unnest(c.tags || array(select jsonb_array_elements_text(u.tags::jsonb))) as t order by t),
             -- Zones and states follow from the ZIP (encrypted here): fillSegmentFacts derives them again.
             segment_facts_at = null
           from unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[], $6::text[], $7::text[], $8::text[], $9::text[])
             as u(id, name_enc, dob_enc, zip_enc, attributes_enc, zone, state, segment_attributes, tags)
           where c.id = u.id`,
          [
            chunk.map((u) => u.id),
            chunk.map((u) => given('name_enc', u, u.fields.name)),
            chunk.map((u) => given('dob_enc', u, u.fields.dateOfBirth)),
            chunk.map((u) => given('zip_enc', u, u.fields.zip)),
            chunk.map((u) => given('attributes_enc', u, u.fields.attributes ? JSON.stringify(u.fields.attributes) : undefined)),
            chunk.map((u) => u.fields.zone ?? null),
            chunk.map((u) => u.fields.state ?? null),
            chunk.map((u) => (u.fields.attributes ? JSON.stringify(u.fields.attributes) : null)),
            chunk.map((u) => JSON.stringify(normalTags(u.fields.tags ?? []))),
          ],
        );
      }
    },

    async listContacts(page) {
      const values: unknown[] = [];
      const where: string[] = [];
      if (page.after) {
        values.push(page.after.createdAt, page.after.id);
        where.push(`(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
      }
      if (page.phoneDigits) {
        values.push(page.phoneDigits.replace(/\D/g, ''));
        where.push(`phone_e164 like '%' || $${values.length} || '%'`);
      }
      values.push(Math.min(Math.max(page.limit, 1), 1000));
      const { rows } = await db.query<ContactRow & { created_at_text: string }>(
        `select ${COLUMNS}, created_at::text as created_at_text from contacts ${where.length ? `where ${where.join(' and ')}` : ''}
         order by created_at desc, id desc limit $${values.length}`,
        values,
      );
      return rows.map((row) => ({ contact: toContact(row), cursor: { createdAt: row.created_at_text, id: row.id } }));
    },

    async runsOfContact(contactId, limit = 200) {
      const { rows } = await db.query<{
        id: string;
        flow_id: string;
        flow_name: string;
        version: number;
        status: ContactRun['status'];
        stop_reason: string | null;
        created_at: Date;
        ended_at: Date | null;
      }>(
        `select r.id, v.flow_id, f.name as flow_name, v.version, r.status, r.stop_reason, r.created_at, r.ended_at
         from runs r join flow_versions v on v.id = r.flow_version_id join flows f on f.id = v.flow_id
         where r.contact_id = $1 order by r.created_at desc, r.id desc limit $2`,
        [contactId, limit],
      );
      return rows.map((r) => ({
        id: r.id,
        flowId: r.flow_id,
        flowName: r.flow_name,
        version: r.version,
        status: r.status,
        stopReason: r.stop_reason,
        startedAt: r.created_at,
        endedAt: r.ended_at,
      }));
    },

    async addTags(contactIds, tags) {
      const ids = [...new Set(contactIds)].filter((id) => UUID.test(id));
      const add = normalTags(tags);
      if (ids.length === 0 || add.length === 0) return 0;
      const { rowCount } = await db.query(
        `update contacts set tags = array(select distinct t from unnest(tags || $2::text[]) as t order by t)
         where id = any($1::uuid[]) and erased_at is null and not (tags @> $2::text[])`,
        [ids, add],
      );
      return rowCount ?? 0;
    },

    async fillSegmentFacts(limit) {
      const { rows } = await db.query<ContactRow>(
        `select ${COLUMNS} from contacts where segment_facts_at is null and erased_at is null order by id limit $1 for update skip locked`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const contacts = rows.map(toContact);
      const facts = contacts.map((c) => segmentFacts({ ...c, phone: c.phone! }));
      await db.query(
        `update contacts c set segment_attributes = u.segment_attributes::jsonb,
           resolved_zones = array(select jsonb_array_elements_text(u.zones::jsonb)),
           resolved_states = array(select jsonb_array_elements_text(u.states::jsonb)), segment_facts_at = now()
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as u(id, segment_attributes, zones, states) where c.id = u.id`,
        [
          contacts.map((c) => c.id),
          contacts.map((c) => JSON.stringify(c.attributes)),
          facts.map((f) => JSON.stringify(f.zones)),
          facts.map((f) => JSON.stringify(f.states)),
        ],
      );
      return contacts.length;
    },
  };
}
