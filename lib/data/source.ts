import type pg from 'pg';
import { contactKeys, type ContactKeys } from '@/lib/db/contact-repository';
import { database } from '@/lib/db/database';
import { env } from '@/lib/env';

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
