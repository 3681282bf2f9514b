import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runMigrations } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeContact, uniquePhone } from '@/lib/db/testing/fixtures';
import { useTestDatabase } from '@/lib/db/testing/test-database';
import { activeVersion, engineHarness, grant, quietLogger } from './testing/engine-harness';

const database = useTestDatabase();

const migration = (name: string) => readFile(path.join(__dirname, '../../supabase/migrations', name), 'utf8');

/** A consent check, a date-of-birth check, then a question whose reply is an ordinary one. */
const FLOW = {
  schemaVersion: 1,
  id: 'legacy',
  name: 'legacy',
  policy: { brand: 'Acme Dental', quietHours: 'strictest' },
  nodes: [
    { id: 'start', type: 'trigger', data: { kind: 'api' } },
    { id: 'check', type: 'consent.check', data: { purpose: 'informational' } },
    {
      id: 'verify',
      type: 'verify.identity',
      data: { method: 'dob', body: 'Acme Dental: please reply with your date of birth.', maxAttempts: 3, timeout: 'PT1H' },
    },
    {
      id: 'ask',
      type: 'message.ask',
      data: {
        purpose: 'informational',
        body: 'Acme Dental: hi {{contact.first_name}}, still coming? Reply YES or NO.',
        timeout: 'PT1H',
        outsideHours: 'defer',
      },
    },
    { id: 'done', type: 'end' },
  ],
  edges: [
    { id: 'e0', source: 'start', sourceHandle: 'next', target: 'check' },
    { id: 'e0-granted', source: 'check', sourceHandle: 'granted', target: 'verify' },
    { id: 'e0-missing', source: 'check', sourceHandle: 'missing', target: 'done' },
    { id: 'e1', source: 'verify', sourceHandle: 'verified', target: 'ask' },
    { id: 'e2', source: 'verify', sourceHandle: 'failed', target: 'done' },
    { id: 'e3', source: 'ask', sourceHandle: 'reply', target: 'done' },
    { id: 'e4', source: 'ask', sourceHandle: 'timeout', target: 'done' },
  ],
};

beforeAll(async () => {
  await runMigrations({ pgPool: database().pool, logger: quietLogger });
});

describe('the migrations that take personal data out of the runtime tables', () => {
  it('mask the identity answers and strip the contact from the snapshots written before them, and leave ordinary replies alone', async () => {
    const t = engineHarness(database().pool);
    t.at('2026-03-10T14:00:00Z');
    const versionId = await activeVersion(t.pool, FLOW, 'legacy');
    const phone = uniquePhone();
    const contact = await makeContact(t.pool, { phone, name: 'Ana Diaz', zone: 'America/New_York', dateOfBirth: '1980-04-12' });
    await grant(t.pool, contact.id, 'informational', '2026-01-01T00:00:00Z');
    const { runId } = await t.engine.startRun({ flowVersionId: versionId, contactId: contact.id });
    await t.work();
    const said = { SMlegacy1: '12/4/1980', SMlegacy2: '4/12/1980' };
    for (const [providerId, body] of Object.entries(said)) {
      await t.engine.receiveInbound({ providerId, from: phone, body });
      await t.work();
    }
    expect(t.texts(phone).at(-1)).toBe('Acme Dental: hi Ana, still coming? Reply YES or NO.');

    // The rows as the engine wrote them before: answers in clear and on no run's record, "try again" on none either, the name in the snapshot.
    await t.pool.query(`update messages set run_id = null where effect_id like '%:retry'`);
    for (const [sid, body] of Object.entries(said)) {
      await t.pool.query('update messages set body = $2, run_id = null where provider_sid = $1', [sid, body]);
      await t.pool.query('update inbound_texts set body = $2 where provider_sid = $1', [sid, body]);
    }
    await t.engine.receiveInbound({ providerId: 'SMlegacy3', from: phone, body: 'YES' });
    await t.work();
    await t.pool.query(
      `update runs set snapshot = jsonb_set(snapshot, '{context,contact}', '{"first_name": "Ana", "name": "Ana Diaz"}') where id = $1`,
      [runId],
    );
    const {
      rows: [before],
    } = await t.pool.query('select snapshot from runs where id = $1', [runId]);

    await t.pool.query(await migration('20261206310100_runs_snapshot_without_contact.sql'));
    await t.pool.query(await migration('20261206310200_identity_answers_masked.sql'));

    const bodies = async (table: 'messages' | 'inbound_texts') =>
      (await t.pool.query(`select provider_sid, body from ${table} where provider_sid like 'SMlegacy%' order by provider_sid`)).rows;
    const expected = [
      { provider_sid: 'SMlegacy1', body: '[identity answer]' },
      { provider_sid: 'SMlegacy2', body: '[identity answer]' },
      { provider_sid: 'SMlegacy3', body: 'YES' },
    ];
    expect(await bodies('messages')).toEqual(expected);
    expect(await bodies('inbound_texts')).toEqual(expected);
    const {
      rows: [after],
    } = await t.pool.query('select snapshot from runs where id = $1', [runId]);
    expect(JSON.stringify(after.snapshot)).not.toContain('Ana');
    const { contact: _contact, ...context } = before.snapshot.context;
    expect(after.snapshot).toEqual({ ...before.snapshot, context });
  });
});
