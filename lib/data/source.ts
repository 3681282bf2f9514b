import type pg from 'pg';
import { contactKeys, type ContactKeys } from '../db/contact-repository';
import { database } from '../db/database';
import { env } from '../env';

/** Where the pages' data comes from: the process's database, or a test's own. */
export interface DataSource {
  pool(): Promise<pg.Pool>;
  contactKeys(): ContactKeys;
}

/** The process's database and contact keys. */
export const processData: DataSource = {
  pool: async () => (await database()).pool,
  contactKeys: () => contactKeys(env().appSecret),
};
