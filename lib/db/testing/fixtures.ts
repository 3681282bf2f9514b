import { contactKeys, contactRepository, type Contact, type NewContact } from '../contact-repository';
import type { Queryable } from '../queryable';

/** The APP_SECRET of database tests. */
export const TEST_APP_SECRET = 'optline-test-secret-0123456789abcdef';

let nextPhone = 0;

/** A phone number no other call in this test file returns (each file has its own database). */
export function uniquePhone(): string {
  return `+1212555${String(nextPhone++ % 10_000).padStart(4, '0')}`;
}

/** Creates a contact with a fresh number. */
export async function makeContact(db: Queryable, fields: Partial<NewContact> = {}): Promise<Contact> {
  return contactRepository(db, contactKeys(TEST_APP_SECRET)).createContact({ phone: uniquePhone(), ...fields });
}
