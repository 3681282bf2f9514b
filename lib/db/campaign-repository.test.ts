import { describe, expect, it } from 'vitest';
import { campaignRepository } from './campaign-repository';
import { contactKeys, contactRepository } from './contact-repository';
import { flowRepository } from './flow-repository';
import { TEST_APP_SECRET } from './testing/fixtures';
import { explainWithoutStatistics, recordingQueryable, rowsReadFrom } from './testing/explain';
import { useTestDatabase } from './testing/test-database';

const db = useTestDatabase();

describe('a campaign start slice (dueEnrolments)', () => {
  it('reads its own enrolments in order and stops, never the whole waiting audience (all due at the launch)', async () => {
    const pool = db().pool;
    await flowRepository(pool).createFlow({ id: 'slice', name: 'Slice', draft: {}, savedBy: 'user:1' });
    const version = await flowRepository(pool).saveVersion('slice', { id: 'slice' }, 'user:1');
    const campaign = await campaignRepository(pool).create({
      name: 'Launched now',
      flowVersionId: version.id,
      audience: { kind: 'selection', contactIds: [], filter: { all: [] } },
      schedule: { kind: 'now' },
      variables: {},
      pacePerSecond: 1000,
      createdBy: 'user:1',
    });
    const ids = await contactRepository(pool, contactKeys(TEST_APP_SECRET)).createContacts(
      Array.from({ length: 2000 }, (_, i) => ({ phone: `+1313${String(i).padStart(7, '0')}` })),
    );
    const launch = new Date('2026-03-10T15:00:00Z');
    await campaignRepository(pool).enrol(
      campaign.id,
      ids.map((contactId) => ({ contactId, dueAt: launch })),
      null,
    );

    const recorder = recordingQueryable(pool);
    const slice = await campaignRepository(recorder.db).dueEnrolments(campaign.id, launch, 250);
    expect(slice.map((e) => e.contactId)).toEqual([...ids].sort().slice(0, 250));

    const plan = await explainWithoutStatistics(pool, recorder.statements[0]!, ['campaign_enrolments', 'contacts']);
    // Sorting the waiting ones to take the first 250 reads all 2,000.
    expect(rowsReadFrom(plan, 'campaign_enrolments')).toBeLessThanOrEqual(250);
  });
});
