import { describe, expect, it } from 'vitest';
import { flowRepository } from './flow-repository';
import { makeContact } from './testing/fixtures';
import { useTestDatabase } from './testing/test-database';

// The invariants the migrations promise, one by one, against real Postgres.
const db = useTestDatabase();
const q = (sql: string, values: unknown[] = []) => db().pool.query(sql, values);
let counter = 0;

async function version() {
  const id = `schema-${++counter}`;
  await flowRepository(db().pool).createFlow({ id, name: 'S', draft: {}, savedBy: 'user:1' });
  return flowRepository(db().pool).saveVersion(id, { id, n: counter }, 'user:1');
}

async function run() {
  const v = await version();
  const contact = await makeContact(db().pool);
  const { rows } = await q(`insert into runs (flow_version_id, contact_id, snapshot) values ($1, $2, '{}') returning id, version`, [
    v.id,
    contact.id,
  ]);
  return { id: rows[0].id as string, contactId: contact.id, versionId: v.id };
}

describe('schema invariants', () => {
  it('a review names its version’s own content hash and is never changed', async () => {
    const v = await version();
    await expect(
      q("insert into reviews (flow_version_id, content_hash, reviewer, decision, comment) values ($1, $2, 'r', 'rejected', 'no')", [
        v.id,
        'a'.repeat(64),
      ]),
    ).rejects.toThrow(/reviews_flow_version_id_content_hash_fkey/);
    const { rows } = await q(
      "insert into reviews (flow_version_id, content_hash, reviewer, decision, analyzer_version, report_hash) values ($1, $2, 'r', 'approved', '1', $3) returning id",
      [v.id, v.contentHash, 'b'.repeat(64)],
    );
    await expect(q("update reviews set decision = 'rejected' where id = $1", [rows[0].id])).rejects.toThrow('reviews is append-only');
    await expect(
      q("insert into reviews (flow_version_id, content_hash, reviewer, decision) values ($1, $2, 'r', 'rejected')", [v.id, v.contentHash]),
    ).rejects.toThrow(/reviews_rejection_says_why/);
  });

  it('an approval records the analyzer version and report hash it was given under', async () => {
    const v = await version();
    await expect(
      q("insert into reviews (flow_version_id, content_hash, reviewer, decision) values ($1, $2, 'r', 'approved')", [v.id, v.contentHash]),
    ).rejects.toThrow(/reviews_approval_is_bound/);
    await expect(
      q(
        "insert into reviews (flow_version_id, content_hash, reviewer, decision, analyzer_version, report_hash) values ($1, $2, 'r', 'approved', '1', 'not-a-hash')",
        [v.id, v.contentHash],
      ),
    ).rejects.toThrow(/report_hash/);
  });

  it('the author of a version cannot review it', async () => {
    const v = await version();
    await expect(
      q("insert into reviews (flow_version_id, content_hash, reviewer, decision, comment) values ($1, $2, 'user:1', 'rejected', 'no')", [
        v.id,
        v.contentHash,
      ]),
    ).rejects.toThrow(
      'an author of a flow version cannot review it: user:1 submitted it or changed its draft since the last approved version',
    );
  });

  it('nobody who saved the draft since the last approved version reviews the version it became, whoever submitted it', async () => {
    const id = `schema-${++counter}`;
    await q(`insert into flows (id, name, draft, draft_saved_by) values ($1, 'E', '{}', 'u-editor')`, [id]);
    await q(`update flows set draft = '{"changed":true}', draft_saved_by = 'u-helper' where id = $1`, [id]);
    const { rows } = await q(
      `insert into flow_versions (flow_id, version, content, content_hash, created_by, status) values ($1, 1, '{"changed":true}', $2, 'u-owner', 'submitted') returning id`,
      [id, 'c'.repeat(64)],
    );
    const review = (who: string) =>
      q("insert into reviews (flow_version_id, content_hash, reviewer, decision, comment) values ($1, $2, $3, 'rejected', 'no')", [
        rows[0].id,
        'c'.repeat(64),
        who,
      ]);
    for (const author of ['u-editor', 'u-helper', 'u-owner']) {
      await expect(review(author)).rejects.toThrow(
        `an author of a flow version cannot review it: ${author} submitted it or changed its draft`,
      );
    }
    await expect(q('delete from flow_version_authors where flow_version_id = $1', [rows[0].id])).rejects.toThrow(
      'flow_version_authors is append-only',
    );
    await expect(review('u-someone-else')).resolves.toBeDefined();
  });

  it('a change of a draft names who made it', async () => {
    const id = `schema-${++counter}`;
    await expect(q(`insert into flows (id, name, draft) values ($1, 'E', '{}')`, [id])).rejects.toThrow(
      `a change of the draft of flow ${id} must name who made it`,
    );
  });

  it('a flow has at most one active version', async () => {
    const v1 = await version();
    const v2 = await flowRepository(db().pool).saveVersion(v1.flowId, { other: true }, 'user:1');
    await q("update flow_versions set status = 'active' where id = $1", [v1.id]);
    await expect(q("update flow_versions set status = 'active' where id = $1", [v2.id])).rejects.toThrow(
      /flow_versions_one_active_per_flow/,
    );
  });

  it('every change to a run raises its version by one at least (a write of several steps sets the count it reached), never lowers it, so a stale writer matches nothing', async () => {
    const r = await run();
    await q('update runs set snapshot = \'{"value":"a"}\' where id = $1 and version = 0', [r.id]);
    const stale = await q('update runs set snapshot = \'{"value":"b"}\' where id = $1 and version = 0', [r.id]);
    expect(stale.rowCount).toBe(0);
    await q('update runs set snapshot = \'{"value":"c"}\', version = 1 where id = $1', [r.id]);
    expect((await q('select version from runs where id = $1', [r.id])).rows[0].version).toBe(2);
    await q('update runs set snapshot = \'{"value":"d"}\', version = 5 where id = $1', [r.id]);
    expect((await q('select version from runs where id = $1', [r.id])).rows[0].version).toBe(5);
    await q("update runs set status = 'stopped', ended_at = now(), version = 0 where id = $1", [r.id]);
    expect((await q('select version from runs where id = $1', [r.id])).rows[0].version).toBe(6);
    await expect(
      q('update runs set flow_version_id = (select id from flow_versions where id <> $2 limit 1) where id = $1', [r.id, r.versionId]),
    ).rejects.toThrow('stays on its flow version');
  });

  it('an inbox event is stored once per idempotency key', async () => {
    await q("insert into run_events (idempotency_key, kind) values ('twilio:SM123', 'inbound_sms')");
    await expect(q("insert into run_events (idempotency_key, kind) values ('twilio:SM123', 'inbound_sms')")).rejects.toThrow(
      /run_events_idempotency_key_key/,
    );
    const retried = await q(
      "insert into run_events (idempotency_key, kind) values ('twilio:SM123', 'inbound_sms') on conflict (idempotency_key) do nothing",
    );
    expect(retried.rowCount).toBe(0);
  });

  it('an effect sends at most one message, and inbound messages carry the provider id', async () => {
    const r = await run();
    const send =
      "insert into messages (direction, contact_id, run_id, effect_id, purpose, body, provider, status) values ('outbound', $1, $2, $3, 'informational', 'Hi', 'sandbox', 'pending')";
    await q(send, [r.contactId, r.id, `${r.id}:1:0`]);
    await expect(q(send, [r.contactId, r.id, `${r.id}:1:0`])).rejects.toThrow(/messages_effect_id_key/);
    await expect(
      q("insert into messages (direction, contact_id, body, provider, status) values ('inbound', $1, 'STOP', 'twilio', 'received')", [
        r.contactId,
      ]),
    ).rejects.toThrow(/messages_inbound_has_provider_sid/);
  });

  it('a settled payment never changes status, and a run has one pending link', async () => {
    const r = await run();
    const insert = `insert into payments (run_id, contact_id, effect_id, token_hash, amount_minor, currency, description, provider, expires_at)
      values ($1, $2, $3, $4, 4500, 'usd', 'Invoice 12', 'sandbox', now() + interval '72 hours') returning id`;
    const { rows } = await q(insert, [r.id, r.contactId, `${r.id}:2:0`, 'a'.repeat(64)]);
    await expect(q(insert, [r.id, r.contactId, `${r.id}:3:0`, 'b'.repeat(64)])).rejects.toThrow(/payments_one_pending_per_run/);
    await q("update payments set status = 'paid', paid_at = now() where id = $1", [rows[0].id]);
    await expect(q("update payments set status = 'failed', paid_at = null where id = $1", [rows[0].id])).rejects.toThrow(
      'is paid and cannot become failed',
    );
    await expect(q('update payments set amount_minor = 1 where id = $1', [rows[0].id])).rejects.toThrow('keeps its run, token and amount');
  });

  it('the audit log only grows', async () => {
    const { rows } = await q(
      "insert into audit_log (actor, action, subject_type, subject_id) values ('user:1', 'flow.approve', 'flow_version', 'x') returning id",
    );
    await expect(q("update audit_log set actor = 'user:2' where id = $1", [rows[0].id])).rejects.toThrow(
      'audit_log is append-only: UPDATE',
    );
    await expect(q('delete from audit_log where id = $1', [rows[0].id])).rejects.toThrow('audit_log is append-only: DELETE');
    await expect(q('truncate audit_log')).rejects.toThrow('audit_log is append-only: TRUNCATE');
  });

  it('there is exactly one settings row, with a STOP confirmation ready', async () => {
    const { rows } = await q('select brand, stop_confirmation_text, paused_marketing_states from settings');
    expect(rows).toHaveLength(1);
    expect(rows[0].stop_confirmation_text).toMatch(/START/);
    await expect(q('insert into settings default values')).rejects.toThrow(/settings_pkey/);
    await expect(q('delete from settings')).rejects.toThrow('the settings row is never removed');
    await q("update settings set paused_marketing_states = '{LA}'");
    await expect(q("update settings set paused_marketing_states = '{la}'")).rejects.toThrow(/settings_paused_marketing_states_check/);
  });

  it('turns row level security on for every table (closed to Supabase’s Data API)', async () => {
    const { rows } = await q(
      "select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and not relrowsecurity",
    );
    expect(rows).toEqual([]);
  });
});
