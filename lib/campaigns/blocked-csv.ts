import type pg from 'pg';
import { requirePermission, type Actor } from '@/lib/access/roles';
import { campaignRepository } from '@/lib/db/campaign-repository';
import { CSV_BOM, csvLine } from '@/lib/contacts/csv-write';
import { getCampaign } from './campaigns';

// Rows read per statement while the file streams.
const BATCH = 1000;

/**
 * The preview's blocked contacts as CSV lines (phone, contact id, rule,
 * reason), read in batches as the client takes them: memory stays bounded
 * whatever the audience.
 */
export async function blockedCsvLines(pool: pg.Pool, actor: Actor, id: string): Promise<AsyncGenerator<string, void, undefined>> {
  requirePermission(actor, 'read');
  await getCampaign(pool, actor, id);
  const repo = campaignRepository(pool);
  return (async function* lines() {
    yield CSV_BOM + csvLine(['phone', 'contact_id', 'rule', 'reason']);
    let after: string | undefined;
    for (;;) {
      const page = await repo.blockedPage(id, { limit: BATCH, ...(after ? { afterId: after } : {}) });
      for (const b of page) yield csvLine([b.phone, b.contactId, b.rule, b.reason]);
      if (page.length < BATCH) return;
      after = page.at(-1)!.contactId;
    }
  })();
}
