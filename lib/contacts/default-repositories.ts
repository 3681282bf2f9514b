import { consentRepository, type ConsentRepository } from '../db/consent-repository';
import { contactKeys, contactRepository, type ContactRepository } from '../db/contact-repository';
import { database } from '../db/database';
import { env } from '../env';

/** The process's contact and consent repositories (for server-rendered pages). */
export async function defaultContactRepositories(): Promise<{ contacts: ContactRepository; consent: ConsentRepository }> {
  const { pool } = await database();
  return { contacts: contactRepository(pool, contactKeys(env().appSecret)), consent: consentRepository(pool) };
}
